package io.tracemetrics.e2e.ecosystem;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.tracemetrics.demo.LocalDemo;
import io.tracemetrics.testsupport.peers.Collector;
import io.tracemetrics.testsupport.peers.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code no-gateway} profile for real: apps (the OpenTelemetry Java SDK) → an OpenTelemetry Collector
 * (OTLP receiver, memory_limiter, batch) → its {@code kafka} exporter, with {@code encoding: otlp_proto}
 * and with {@code otlp_json} → topic {@code otlp_spans} → the job on a MiniCluster → VictoriaMetrics.
 * No gateway is in the path; the numbers must be exact.
 */
class CollectorKafkaExporterIT {
  private static LocalDemo demo;

  @BeforeAll
  static void startPipeline() throws Exception {
    Peers.OTELCOL.path();
    demo = LocalDemo.builder()
        .anyFreePorts()
        .withPrometheus(false)
        .quickWindows()
        .start();
  }

  @AfterAll
  static void stopPipeline() {
    if (demo != null) {
      demo.close();
    }
  }

  /** The example the deployment docs give for a Collector in front is a configuration the Collector takes. */
  @Test
  void theDocumentedCollectorConfigurationIsValid() throws Exception {
    Path example = Path.of("..", "docs", "examples", "otel-collector-kafka.yaml");
    Process validate = new ProcessBuilder(Peers.OTELCOL.path().toString(), "validate", "--config", example.toString())
        .redirectErrorStream(true).start();
    String output = new String(validate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(validate.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(validate.exitValue()).as("otelcol validate %s: %s", example, output).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp_proto", "otlp_json"})
  void spansThroughTheCollectorsKafkaExporterBecomeExactSeries(String encoding) {
    String service = "via-kafka-" + encoding.replace('_', '-');
    try (Collector collector = Collector.start("""
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:${PORT_1}
        processors:
          memory_limiter:
            check_interval: 1s
            limit_mib: 256
          batch:
            timeout: 200ms
        exporters:
          kafka:
            brokers: [%s]
            traces:
              topic: otlp_spans
              encoding: %s
        service:
          pipelines:
            traces:
              receivers: [otlp]
              processors: [memory_limiter, batch]
              exporters: [kafka]
        """.formatted(demo.kafka().bootstrapServers(), encoding))) {
      for (int i = 0; i < 3; i++) {
        Corpus.export(OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + collector.port(1)).build(), Corpus.spans(service, 1));
      }
      Corpus.expect(demo.victoriaMetrics().query(), service, 3);
    }
  }
}
