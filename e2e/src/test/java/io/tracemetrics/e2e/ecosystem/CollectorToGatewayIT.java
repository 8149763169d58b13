package io.tracemetrics.e2e.ecosystem;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.tracemetrics.demo.LocalDemo;
import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.peers.Collector;
import io.tracemetrics.testsupport.peers.Peers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * apps (the OpenTelemetry Java SDK) → an OpenTelemetry Collector → its {@code otlp} (gRPC) and
 * {@code otlphttp} exporters → the gateway → Kafka → the job → VictoriaMetrics. The gateway admits one
 * request at a time ({@code max-in-flight-bytes} 1), so the Collector's many concurrent exports are pushed
 * back with 429 / {@code UNAVAILABLE} + {@code RetryInfo}; and the broker is killed for a while, so the
 * gateway answers 503 / {@code UNAVAILABLE}. The Collector's {@code retry_on_failure} and
 * {@code sending_queue} must deliver every span anyway: the numbers are exact and the gateway did refuse.
 */
class CollectorToGatewayIT {
  private static final int COPIES = 20;
  private static LocalDemo demo;

  @BeforeAll
  static void startPipeline() throws Exception {
    Peers.OTELCOL.path();
    demo = LocalDemo.builder()
        .anyFreePorts()
        .withPrometheus(false)
        .gateway(gateway -> gateway.maxInFlightBytes(1).retryAfterSeconds(1).sendTimeout(Duration.ofSeconds(2)))
        .quickWindows()
        .start();
  }

  @AfterAll
  static void stopPipeline() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void theCollectorsOtlpExportersRetryTheGatewaysPushbackAndLoseNothing() throws Exception {
    try (Collector collector = startCollector()) {
      // Many exports at once, to both pipelines, so the Collector's queue consumers overlap at the gateway.
      exportConcurrently(collector, "via-otlp-grpc", "via-otlphttp", COPIES);
      Corpus.expect(demo.victoriaMetrics().query(), "via-otlp-grpc", COPIES);
      Corpus.expect(demo.victoriaMetrics().query(), "via-otlphttp", COPIES);
      assertThat(refused("grpc", "memory_limit")).as("spans the gateway pushed back over gRPC").isPositive();
      assertThat(refused("http", "memory_limit")).as("spans the gateway pushed back over HTTP").isPositive();
    }
  }

  @Test
  void theCollectorsQueueHoldsTheSpansWhileKafkaIsDown() throws Exception {
    try (Collector collector = startCollector()) {
      double grpcBefore = refused("grpc", "kafka_unavailable");
      double httpBefore = refused("http", "kafka_unavailable");
      demo.kafka().kill();
      try {
        // The Collector takes the spans at once and keeps retrying the gateway's 503 / UNAVAILABLE.
        exportConcurrently(collector, "outage-otlp-grpc", "outage-otlphttp", 3);
        Await.until(() -> refused("grpc", "kafka_unavailable") > grpcBefore
            && refused("http", "kafka_unavailable") > httpBefore, Duration.ofSeconds(60),
            "the gateway refusing both exporters for want of Kafka");
      } finally {
        demo.kafka().restart();
      }
      Corpus.expect(demo.victoriaMetrics().query(), "outage-otlp-grpc", 3);
      Corpus.expect(demo.victoriaMetrics().query(), "outage-otlphttp", 3);
    }
  }

  private static Collector startCollector() {
    String retryAndQueue = """
            retry_on_failure:
              enabled: true
              initial_interval: 100ms
              max_interval: 1s
              max_elapsed_time: 120s
            sending_queue:
              enabled: true
              num_consumers: 8
              queue_size: 1000
        """;
    return Collector.start("""
        receivers:
          otlp/to-grpc:
            protocols:
              grpc:
                endpoint: 127.0.0.1:${PORT_1}
          otlp/to-http:
            protocols:
              grpc:
                endpoint: 127.0.0.1:${PORT_2}
        processors:
          memory_limiter:
            check_interval: 1s
            limit_mib: 256
          batch:
            send_batch_size: 5
            send_batch_max_size: 5
            timeout: 10ms
        exporters:
          otlp:
            endpoint: 127.0.0.1:%d
            tls:
              insecure: true
        %s
          otlphttp:
            endpoint: http://127.0.0.1:%d
        %s
        service:
          pipelines:
            traces/grpc:
              receivers: [otlp/to-grpc]
              processors: [memory_limiter, batch]
              exporters: [otlp]
            traces/http:
              receivers: [otlp/to-http]
              processors: [memory_limiter, batch]
              exporters: [otlphttp]
        """.formatted(demo.gateway().grpcPort(), retryAndQueue, demo.gateway().httpPort(), retryAndQueue));
  }

  /** {@code copies} corpus copies per service, each its own export, all at once; service 1 to the otlp exporter. */
  private static void exportConcurrently(Collector collector, String grpcService, String httpService, int copies) {
    List<CompletableFuture<Void>> exports = new ArrayList<>();
    for (int i = 0; i < copies; i++) {
      for (var target : List.of(Map.entry(grpcService, 1), Map.entry(httpService, 2))) {
        int port = collector.port(target.getValue());
        exports.add(CompletableFuture.runAsync(() -> Corpus.export(OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + port).build(), Corpus.spans(target.getKey(), 1))));
      }
    }
    CompletableFuture.allOf(exports.toArray(CompletableFuture[]::new)).join();
  }

  /** The gateway's {@code otlp_gateway_spans_refused_total} of one protocol (grpc or http) and reason. */
  private static double refused(String protocol, String reason) throws Exception {
    String metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.gateway().metricsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("otlp_gateway_spans_refused_total{") && line.contains("reason=\"" + reason + "\"")
          && line.contains("protocol=\"" + protocol)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
