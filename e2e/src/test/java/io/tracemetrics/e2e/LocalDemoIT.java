package io.tracemetrics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracemetrics.demo.LocalDemo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's quick start, with the demo's own settings: one span over OTLP/HTTP protobuf and no
 * traffic after it still becomes a sample, because the watermark follows the wall clock when idle.
 */
class LocalDemoIT {
  private static final Logger LOG = LoggerFactory.getLogger(LocalDemoIT.class);
  private static LocalDemo demo;

  @BeforeAll
  static void startDemo() throws Exception {
    demo = LocalDemo.builder().anyFreePorts().withPrometheus(false).start();
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void oneSpanAloneShowsAsACallInVictoriaMetrics() throws Exception {
    long endNanos = System.currentTimeMillis() * 1_000_000L;
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
                        .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("my-app"))))
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder()
                        .setTraceId(randomId(16))
                        .setSpanId(randomId(8))
                        .setName("test-request")
                        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                        .setStartTimeUnixNano(endNanos - 42_000_000L)
                        .setEndTimeUnixNano(endNanos))))
            .build();

    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.gateway().httpPort() + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    long sentAt = System.nanoTime();
    assertThat(response.statusCode()).isEqualTo(200);

    // The README promises 10 to 15 s; the deadline leaves room for a loaded CI machine.
    demo.victoriaMetrics()
        .query()
        .awaitValue("llm_traces_span_metrics_calls_total{service_name=\"my-app\",span_name=\"test-request\"}",
            1, Duration.ofSeconds(45));
    LOG.info("The span was queryable {} ms after the gateway accepted it",
        Duration.ofNanos(System.nanoTime() - sentAt).toMillis());
    demo.victoriaMetrics()
        .query()
        .awaitValue("llm_traces_span_metrics_latency_bucket{service_name=\"my-app\",le=\"50\"}", 1,
            Duration.ofSeconds(10));
  }

  private static ByteString randomId(int bytes) {
    byte[] id = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(id);
    return ByteString.copyFrom(id);
  }
}
