package io.tracemetrics.e2e.ecosystem;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.tracemetrics.demo.LocalDemo;
import io.tracemetrics.job.JobOptions;
import io.tracemetrics.testsupport.peers.Collector;
import io.tracemetrics.testsupport.peers.Peers;
import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.Sample;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job with {@code metrics.preset=collector-spanmetrics} as a drop-in for the Collector's
 * {@code spanmetrics} connector (v0.165.1, its defaults but a 1 s flush). One Collector takes one corpus
 * and sends it both ways: to its connector, whose metrics its {@code prometheusremotewrite} exporter writes
 * to one VictoriaMetrics, and through its {@code kafka} exporter to the job, which writes to another. Then
 * every series is compared: names, label sets and values must be the same, except the one documented
 * label the job cannot match, {@code collector_instance_id} (a random id per Collector process).
 */
class SpanmetricsDropInIT {
  private static final String SELECTOR = "{__name__=~\"traces_span_metrics_.+\"}";
  private static LocalDemo demo;
  private static VictoriaMetrics collectorStore;

  @BeforeAll
  static void startPipeline() throws Exception {
    Peers.OTELCOL.path();
    collectorStore = VictoriaMetrics.builder().start();
    demo = LocalDemo.builder()
        .anyFreePorts()
        .withPrometheus(false)
        .jobOption(JobOptions.METRICS_PRESET, JobOptions.PRESET_COLLECTOR_SPANMETRICS)
        .quickWindows()
        .start();
  }

  @AfterAll
  static void stopPipeline() {
    if (demo != null) {
      demo.close();
    }
    if (collectorStore != null) {
      collectorStore.close();
    }
  }

  @Test
  void theJobsSeriesAreTheConnectorsSeries() {
    try (Collector collector = Collector.start("""
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:${PORT_1}
        connectors:
          spanmetrics:
            metrics_flush_interval: 1s
        exporters:
          kafka:
            brokers: [%s]
            traces:
              topic: otlp_spans
              encoding: otlp_proto
          prometheusremotewrite:
            endpoint: %s
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [spanmetrics, kafka]
            metrics:
              receivers: [spanmetrics]
              exporters: [prometheusremotewrite]
        """.formatted(demo.kafka().bootstrapServers(), collectorStore.remoteWriteUrl()))) {
      for (String service : new String[] {"shop-frontend", "shop-payments"}) {
        Corpus.export(OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + collector.port(1)).build(), Corpus.spans(service, 2));
      }
      PromQuery job = demo.victoriaMetrics().query();
      PromQuery connector = collectorStore.query();
      for (PromQuery store : new PromQuery[] {job, connector}) {
        for (String service : new String[] {"shop-frontend", "shop-payments"}) {
          Corpus.expect(store, "traces_span_metrics", "duration_milliseconds", service, 2);
        }
      }

      Map<String, Double> fromJob = series(job);
      Map<String, Double> fromConnector = series(connector);
      assertThat(fromJob.keySet()).as("the job's series (names and label sets) are the connector's")
          .containsExactlyElementsOf(fromConnector.keySet());
      fromConnector.forEach((labels, value) ->
          assertThat(fromJob.get(labels)).as(labels).isCloseTo(value, org.assertj.core.data.Offset.offset(1e-6)));
      assertThat(fromJob).hasSize(2 * (5 + 5 * (17 + 2))); // per service: 5 counters, 5 histograms
    }
  }

  /** Every series of the store, as {@code name{sorted labels}} without {@code collector_instance_id}. */
  private static Map<String, Double> series(PromQuery store) {
    Map<String, Double> out = new TreeMap<>();
    for (Sample sample : store.instant(SELECTOR)) {
      Map<String, String> labels = new TreeMap<>(sample.labels());
      labels.remove("collector_instance_id");
      out.put(labels.toString(), sample.value());
    }
    return out;
  }
}
