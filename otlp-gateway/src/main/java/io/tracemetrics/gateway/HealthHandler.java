package io.tracemetrics.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tracemetrics.gateway.http.HttpAnswer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health/status}: 200 when Kafka is reachable, 503 when not, in the shape of the
 * OpenTelemetry Collector's health check extension so existing probes keep working.
 */
final class HealthHandler implements HttpHandler {
  static final String PATH = "/health/status";

  private final BooleanSupplier kafkaReachable;
  private final Instant upSince;

  HealthHandler(BooleanSupplier kafkaReachable, Instant upSince) {
    this.kafkaReachable = Objects.requireNonNull(kafkaReachable, "kafkaReachable");
    this.upSince = Objects.requireNonNull(upSince, "upSince");
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    answer(exchange.getRequestMethod(), exchange.getRequestURI().getPath()).writeTo(exchange);
  }

  HttpAnswer answer(String method, String path) {
    if (!PATH.equals(path)) {
      return HttpAnswer.text(404, "not found; health is at " + PATH);
    }
    if (!"GET".equals(method)) {
      return HttpAnswer.text(405, "use GET").withHeader("Allow", "GET");
    }
    boolean up = kafkaReachable.getAsBoolean();
    String status = up ? "Server available" : "Kafka unreachable";
    String json = "{\"status\":\"" + status + "\",\"upSince\":\"" + upSince + "\"}";
    return HttpAnswer.of(up ? 200 : 503, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }
}
