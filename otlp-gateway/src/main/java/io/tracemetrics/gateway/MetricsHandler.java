package io.tracemetrics.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tracemetrics.gateway.http.HttpAnswer;
import io.tracemetrics.gateway.metrics.MetricsRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** {@code GET /metrics} in the Prometheus text format. */
final class MetricsHandler implements HttpHandler {
  static final String PATH = "/metrics";
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final MetricsRegistry registry;

  MetricsHandler(MetricsRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    HttpAnswer answer;
    if (!PATH.equals(exchange.getRequestURI().getPath())) {
      answer = HttpAnswer.text(404, "not found; metrics are at " + PATH);
    } else if (!"GET".equals(exchange.getRequestMethod())) {
      answer = HttpAnswer.text(405, "use GET").withHeader("Allow", "GET");
    } else {
      answer = HttpAnswer.of(200, CONTENT_TYPE, registry.scrape().getBytes(StandardCharsets.UTF_8));
    }
    answer.writeTo(exchange);
  }
}
