package io.tracemetrics.e2e.ecosystem;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.tracemetrics.demo.LocalDemo;
import io.tracemetrics.job.JobOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * apps (the OpenTelemetry Java SDK) → an OpenTelemetry Collector → its {@code otlp} (gRPC) and
 * {@code otlphttp} exporters → the gateway → Kafka → the job → VictoriaMetrics. The gateway admits one
 * request at a time ({@code max-in-flight-bytes} 1), so the Collector's many concurrent exports are pushed
 * back with 429 / {@code UNAVAILABLE} + {@code RetryInfo}; the Collector's {@code retry_on_failure} and
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
        .gateway(gateway -> gateway.maxInFlightBytes(1).retryAfterSeconds(1))
        .jobOption(JobOptions.WINDOW, Duration.ofSeconds(2))
        .jobOption(JobOptions.OUT_OF_ORDERNESS, Duration.ofMillis(500))
        .jobOption(JobOptions.IDLE_AFTER, Duration.ofSeconds(1))
        .jobOption(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(2))
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
    try (Collector collector = Collector.start("""
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
        """.formatted(demo.gateway().grpcPort(), retryAndQueue, demo.gateway().httpPort(), retryAndQueue))) {
      // Many exports at once, to both pipelines, so the Collector's queue consumers overlap at the gateway.
      List<CompletableFuture<Void>> exports = new ArrayList<>();
      for (int i = 0; i < COPIES; i++) {
        for (var target : List.of(new String[] {"via-otlp-grpc", "1"}, new String[] {"via-otlphttp", "2"})) {
          int port = collector.port(Integer.parseInt(target[1]));
          exports.add(CompletableFuture.runAsync(() -> Corpus.export(OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + port).build(), Corpus.spans(target[0], 1))));
        }
      }
      CompletableFuture.allOf(exports.toArray(CompletableFuture[]::new)).join();

      Corpus.expect(demo.victoriaMetrics().query(), "via-otlp-grpc", COPIES);
      Corpus.expect(demo.victoriaMetrics().query(), "via-otlphttp", COPIES);
      String gatewayMetrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.gateway().metricsPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(refused(gatewayMetrics, "grpc")).as("spans the gateway pushed back over gRPC").isPositive();
      assertThat(refused(gatewayMetrics, "http")).as("spans the gateway pushed back over HTTP").isPositive();
    }
  }

  /** {@code otlp_gateway_spans_refused_total{reason="memory_limit"}} of one protocol (grpc or http…). */
  private static double refused(String metrics, String protocol) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("otlp_gateway_spans_refused_total{") && line.contains("reason=\"memory_limit\"")
          && line.contains("protocol=\"" + protocol)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
