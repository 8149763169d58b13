package io.tracemetrics.demo;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Something to look at in the demo ({@code --load}): a few services sending spans over OTLP/HTTP protobuf,
 * with a realistic spread of latencies and a few errors, a batch every 200 ms.
 */
final class TraceGenerator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TraceGenerator.class);
  private static final String[][] ROUTES = {
    {"frontend", "GET /", "SERVER"},
    {"frontend", "GET /product/{id}", "SERVER"},
    {"checkout", "POST /checkout", "SERVER"},
    {"checkout", "SELECT orders", "CLIENT"},
    {"payments", "charge", "SERVER"},
  };
  private static final double ERROR_RATE = 0.05;

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI endpoint;
  private final Random random = new Random();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "demo-load");
    thread.setDaemon(true);
    return thread;
  });

  TraceGenerator(int httpPort) {
    this.endpoint = URI.create("http://127.0.0.1:" + httpPort + "/v1/traces");
  }

  TraceGenerator start() {
    timer.scheduleAtFixedRate(this::sendBatch, 0, 200, TimeUnit.MILLISECONDS);
    return this;
  }

  private void sendBatch() {
    try {
      HttpResponse<Void> response = http.send(
          HttpRequest.newBuilder(endpoint)
              .header("Content-Type", "application/x-protobuf")
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofByteArray(batch().toByteArray()))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 200) {
        LOG.warn("The gateway answered {} to the demo load", response.statusCode());
      }
    } catch (Exception e) {
      LOG.warn("Demo load could not send: {}", e.toString());
    }
  }

  ExportTraceServiceRequest batch() {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (String service : new String[] {"frontend", "checkout", "payments"}) {
      ScopeSpans.Builder scope = ScopeSpans.newBuilder();
      for (String[] route : ROUTES) {
        if (!route[0].equals(service)) {
          continue;
        }
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
          // Log-normal latencies around ~20 ms with a long tail, as real services have.
          long nanos = (long) (Math.exp(3 + random.nextGaussian()) * 1_000_000L);
          boolean error = random.nextDouble() < ERROR_RATE;
          scope.addSpans(Span.newBuilder()
              .setTraceId(randomBytes(16)).setSpanId(randomBytes(8))
              .setName(route[1])
              .setKind(route[2].equals("SERVER") ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
              .setStartTimeUnixNano(now - nanos).setEndTimeUnixNano(now)
              .setStatus(Status.newBuilder().setCode(error ? Status.StatusCode.STATUS_CODE_ERROR
                  : Status.StatusCode.STATUS_CODE_UNSET)));
        }
      }
      request.addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
              .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(service))))
          .addScopeSpans(scope));
    }
    return request.build();
  }

  private ByteString randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return ByteString.copyFrom(bytes);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
