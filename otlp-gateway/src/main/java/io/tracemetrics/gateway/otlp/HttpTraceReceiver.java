package io.tracemetrics.gateway.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tracemetrics.gateway.http.HttpAnswer;
import io.tracemetrics.gateway.ingest.Outcome;
import io.tracemetrics.gateway.ingest.ScannedTraces;
import io.tracemetrics.gateway.ingest.TraceIngest;
import io.tracemetrics.gateway.ingest.TracesScanner;
import io.tracemetrics.gateway.metrics.GatewayMetrics;
import io.tracemetrics.gateway.metrics.RefusalLog;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * OTLP/HTTP {@code POST /v1/traces}. Runs on the HTTP server's bounded worker pool, so waiting here for
 * Kafka's acknowledgement blocks a worker, never an I/O thread.
 */
public final class HttpTraceReceiver implements HttpHandler {
  static final String PROTOCOL = "http";

  private final TraceIngest ingest;
  private final GatewayMetrics metrics;
  private final RefusalLog refusals;
  private final ReceiverSettings settings;
  private final HttpAnswers answers;
  private final CorsPolicy cors;

  public HttpTraceReceiver(TraceIngest ingest, GatewayMetrics metrics, RefusalLog refusals,
      ReceiverSettings settings) {
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.refusals = Objects.requireNonNull(refusals, "refusals");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.answers = new HttpAnswers(settings.retryAfterSeconds());
    this.cors = new CorsPolicy(settings.corsAllowedOrigins());
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Headers headers = exchange.getRequestHeaders();
    String origin = headers.getFirst("Origin");
    HttpAnswer answer = cors.preflight(exchange.getRequestMethod(), origin,
            headers.getFirst("Access-Control-Request-Method"))
        .orElseGet(() -> answer(exchange));
    answer = cors.decorate(answer, origin);
    metrics.requestAnswered(PROTOCOL, Integer.toString(answer.status()));
    discardUnreadBody(exchange);
    answer.writeTo(exchange);
  }

  /**
   * Reads and drops what is left of a refused body (bounded): answering while the client still uploads
   * makes the server close the connection, and the client then often sees a reset instead of the answer.
   */
  private void discardUnreadBody(HttpExchange exchange) {
    long budget = 2L * settings.maxMessageBytes() + (1 << 20);
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = exchange.getRequestBody();
      int n;
      while (budget > 0 && (n = in.read(buffer)) != -1) {
        budget -= n;
      }
    } catch (IOException e) {
      // The connection is gone; writing the answer will fail the same way and end the exchange.
    }
  }

  private HttpAnswer answer(HttpExchange exchange) {
    Headers headers = exchange.getRequestHeaders();
    HttpRequestPolicy.Admission admission = HttpRequestPolicy.admit(exchange.getRequestMethod(),
        exchange.getRequestURI().getPath(), headers.getFirst("Content-Type"),
        headers.getFirst("Content-Encoding"), settings.auth().allows(headers.getFirst("Authorization")));
    if (!admission.admitted()) {
      return refusal(admission);
    }
    BodyFormat format = admission.format();
    byte[] body;
    try {
      body = RequestBody.read(exchange.getRequestBody(), contentLength(headers), admission.gzip(),
          settings.maxMessageBytes());
    } catch (RequestBody.TooLargeException e) {
      return refused(413, "too_large", e.getMessage(), format);
    } catch (RequestBody.MalformedException e) {
      return refused(400, "invalid", e.getMessage(), format);
    } catch (IOException e) {
      return refused(400, "invalid", "cannot read body: " + e, format);
    }
    ScannedTraces traces;
    try {
      // JSON is transcoded (the scan of its encoding is cheap next to the JSON parse); protobuf is only scanned.
      traces = TracesScanner.scan(format == BodyFormat.JSON ? OtlpJson.parseRequest(body).toByteArray() : body);
    } catch (InvalidProtocolBufferException e) {
      return refused(400, "invalid", "undecodable " + format + " body: " + e.getMessage(), format);
    }
    Outcome outcome = await(ingest.export(PROTOCOL, traces));
    return answers.forOutcome(outcome, format);
  }

  private Outcome await(java.util.concurrent.CompletableFuture<Outcome> pending) {
    try {
      // The ingest path has its own timeout; this bound only guards against a publisher that never answers.
      return pending.get(settings.answerTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.KAFKA_UNAVAILABLE;
    } catch (ExecutionException | TimeoutException e) {
      return Outcome.KAFKA_UNAVAILABLE;
    }
  }

  private HttpAnswer refusal(HttpRequestPolicy.Admission admission) {
    String reason = switch (admission.status()) {
      case 401 -> "unauthenticated";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      default -> "unsupported_media_type";
    };
    HttpAnswer answer = refused(admission.status(), reason, admission.message(), admission.format());
    if (admission.status() == 405) {
      answer = answer.withHeader("Allow", "POST");
    } else if (admission.status() == 401) {
      answer = answer.withHeader("WWW-Authenticate", "Bearer");
    }
    return answer;
  }

  private HttpAnswer refused(int status, String reason, String message, BodyFormat format) {
    refusals.refused(PROTOCOL, reason, message);
    return HttpAnswers.error(status, message, format);
  }

  private static long contentLength(Headers headers) {
    String value = headers.getFirst("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
