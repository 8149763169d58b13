package io.tracemetrics.e2e.ecosystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.tracemetrics.demo.LocalDemo;
import io.tracemetrics.job.JobOptions;
import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.peers.Peers;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jaeger's Monitor tab on the job's metrics: Jaeger v1.75.0's metrics API ({@code /api/metrics/calls},
 * {@code /errors}, {@code /latencies}), reading VictoriaMetrics where the job writes with
 * {@code metrics.preset=collector-spanmetrics}, answers the call rates, error ratios and latency quantiles
 * of the corpus: per copy, {@code GET /cart} (server) 6 calls, 2 errors, durations 1, 2, 3, 10, 450 ms and
 * 20 s; {@code charge} (client) 4 calls, 1 error, 100, 100, 100 ms and 5 s. Every series starts at the
 * same sample time, so ratios of rates are ratios of counts whatever the rate window holds.
 */
class JaegerMonitorIT {
  private static final String SERVICE = "monitor-shop";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalDemo demo;
  private static Jaeger jaeger;

  @BeforeAll
  static void startPipeline() throws Exception {
    Peers.JAEGER.path();
    demo = LocalDemo.builder()
        .anyFreePorts()
        .withPrometheus(false)
        .jobOption(JobOptions.METRICS_PRESET, JobOptions.PRESET_COLLECTOR_SPANMETRICS)
        .quickWindows()
        .start();
    jaeger = Jaeger.start(demo.victoriaMetrics().baseUrl());
  }

  @AfterAll
  static void stopPipeline() {
    if (jaeger != null) {
      jaeger.close();
    }
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void jaegersMetricsApiAnswersTheCorpusRatesErrorRatiosAndQuantiles() {
    Corpus.export(OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + demo.gateway().httpPort() + "/v1/traces").build(),
        Corpus.spans(SERVICE, 1));
    demo.victoriaMetrics().query().awaitValue(
        "sum(traces_span_metrics_calls_total{service_name=\"" + SERVICE + "\"})", 10, Corpus.PATIENCE);

    // Rates: per operation 6 : 4, and the service's rate is their sum.
    Map<String, Double> perOperation = await("/api/metrics/calls", "groupByOperation=true&spanKind=server&spanKind=client",
        m -> m.size() == 2 && m.values().stream().allMatch(v -> v > 0));
    assertThat(perOperation.get("GET /cart") / perOperation.get("charge")).isCloseTo(1.5, within(1e-9));
    Map<String, Double> service = await("/api/metrics/calls", "spanKind=server&spanKind=client", m -> m.size() == 1);
    assertThat(service.get(SERVICE)).isCloseTo(perOperation.get("GET /cart") + perOperation.get("charge"),
        within(1e-9));

    // Error ratios: 2 of 6 server calls, 1 of 4 client calls.
    assertThat(await("/api/metrics/errors", "spanKind=server", m -> m.size() == 1).get(SERVICE))
        .isCloseTo(2.0 / 6, within(1e-9));
    assertThat(await("/api/metrics/errors", "groupByOperation=true&spanKind=client", m -> m.size() == 1).get("charge"))
        .isCloseTo(0.25, within(1e-9));

    // Quantiles, interpolated in the bucket as histogram_quantile does, at ranks that are no bucket's count
    // (there floating point may tip the answer into the next bucket): the server's 3.6th of 6 calls is 0.6
    // into (8, 10], which holds one, so p60 = 9.2; its 4.5th is half-way in (400, 800], so p75 = 600. The
    // client's 2nd of 4 is 2/3 into (50, 100], which holds three, so its p50 = 83.33.
    assertThat(await("/api/metrics/latencies", "quantile=0.6&spanKind=server", m -> m.size() == 1).get(SERVICE))
        .isCloseTo(9.2, within(1e-6));
    assertThat(await("/api/metrics/latencies", "quantile=0.75&spanKind=server", m -> m.size() == 1).get(SERVICE))
        .isCloseTo(600.0, within(1e-6));
    assertThat(await("/api/metrics/latencies", "quantile=0.5&spanKind=client", m -> m.size() == 1).get(SERVICE))
        .isCloseTo(50 + 50 * 2.0 / 3, within(1e-6));
  }

  /** Polls one metrics endpoint until its newest points satisfy {@code done}; operation (or service) → value. */
  private static Map<String, Double> await(String path, String params,
      java.util.function.Predicate<Map<String, Double>> done) {
    return Await.until(() -> newest(path, params), done, Duration.ofSeconds(40), path + "?" + params);
  }

  private static Map<String, Double> newest(String path, String params) throws Exception {
    long now = System.currentTimeMillis();
    JsonNode family = JSON.readTree(jaeger.get(path + "?service=" + SERVICE + "&" + params + "&endTs=" + now
        + "&lookback=60000&step=1000&ratePer=60000"));
    Map<String, Double> out = new TreeMap<>();
    for (JsonNode metric : family.path("metrics")) {
      String key = null;
      for (JsonNode label : metric.path("labels")) {
        if (label.path("name").asText().equals("operation") || key == null) {
          key = label.path("value").asText();
        }
      }
      JsonNode points = metric.path("metricPoints");
      if (points.size() > 0) {
        JsonNode value = points.get(points.size() - 1).path("gaugeValue").path("doubleValue");
        if (value.isNumber()) {
          out.put(key, value.asDouble());
        }
      }
    }
    return out;
  }
}
