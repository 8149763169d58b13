package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.junit.PrometheusExtension;
import io.tracemetrics.testsupport.junit.VictoriaMetricsExtension;
import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.RawSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Flink job writes known series through one sink with two endpoints, a real VictoriaMetrics and a real
 * Prometheus; what each stores is exactly what was sent: names, odd label values, timestamps, values.
 */
class RemoteWriteRoundTripIT {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1)
          .setNumberSlotsPerTaskManager(2).build());

  @RegisterExtension
  static final VictoriaMetricsExtension VM = new VictoriaMetricsExtension();

  @RegisterExtension
  static final PrometheusExtension PROMETHEUS = new PrometheusExtension();

  private static final String SELECTOR = "{__name__=~\"rt_.+\"}";
  private static final long BASE = System.currentTimeMillis() - Duration.ofMinutes(5).toMillis();
  private static final List<TimeSeries> SENT = sentSeries();

  @BeforeAll
  static void writeThroughTheSink() throws Exception {
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    RemoteWriteSink sink = RemoteWriteSink.builder()
        .endpoint(VM.store().remoteWriteUrl())
        .additionalEndpoint(PROMETHEUS.store().remoteWriteUrl())
        .maxBatchSamples(7) // several requests, and the 12-sample series split across two
        .build();

    env.fromData(SENT).keyBy(RemoteWriteSink.seriesKeySelector()).sinkTo(sink).name("remote-write");
    env.execute("remote-write-round-trip");
    VM.store().forceFlush();
  }

  @Test
  void prometheusStoresExactlyWhatWasSentNanAndInfinitiesIncluded() {
    Map<Map<String, String>, List<RawSample>> expected = expected(SENT, false);

    Map<Map<String, String>, List<RawSample>> stored = awaitSeries(PROMETHEUS.query(), expected.size());

    assertThat(stored).isEqualTo(expected);
  }

  /**
   * VictoriaMetrics (1.79) drops NaN samples at ingestion (only Prometheus stale markers are kept), so
   * they are absent; +Inf and -Inf are kept. Its {@code /api/v1/export} writes infinities as bare
   * {@code +Inf}, which is not JSON, so this reads raw samples through the query API's range selector,
   * which VictoriaMetrics answers with the stored samples, values as strings.
   */
  @Test
  void victoriaMetricsStoresExactlyWhatWasSentExceptNan() {
    Map<Map<String, String>, List<RawSample>> expected = expected(SENT, true);

    Map<Map<String, String>, List<RawSample>> stored =
        awaitSeries(PromQuery.prometheus(VM.store().baseUrl()), expected.size());

    assertThat(stored).isEqualTo(expected);
  }

  @Test
  void victoriaMetricsExportMatchesForFiniteSeries() {
    Map<Map<String, String>, List<RawSample>> expected = expected(SENT, true);
    expected.keySet().removeIf(labels -> labels.get("__name__").equals("rt_special"));

    Map<Map<String, String>, List<RawSample>> exported = new LinkedHashMap<>(
        VM.query().rawSeries("{__name__=~\"rt_.+\",__name__!=\"rt_special\"}"));

    assertThat(exported).isEqualTo(expected);
  }

  private static Map<Map<String, String>, List<RawSample>> awaitSeries(PromQuery query, int count) {
    return Await.poll(() -> query.rawSeries(SELECTOR), stored -> stored.size() >= count, Duration.ofSeconds(20),
        Duration.ofMillis(200));
  }

  private static List<TimeSeries> sentSeries() {
    String[] odd = {"plain", "with \"quotes\"", "back\\slash\\", "ünïcödé ✓ 日本語 🚀", "new\nline",
        "tab\tand {braces}=,", "trailing space "};
    List<TimeSeries> series = new ArrayList<>();
    for (int i = 0; i < odd.length; i++) {
      TimeSeries.Builder b = TimeSeries.builder("rt_calls_total").label("service_name", "svc")
          .label("span_name", odd[i]).label("k", Integer.toString(i));
      for (int s = 0; s < 4; s++) {
        b.sample(i * 100 + s * 1.5, BASE + s * 1_000L);
      }
      series.add(b.build());
    }
    TimeSeries.Builder special = TimeSeries.builder("rt_special").label("le", "+Inf");
    double[] values = {1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.5, 0};
    for (int s = 0; s < values.length; s++) {
      special.sample(values[s], BASE + s * 1_000L);
    }
    series.add(special.build());
    TimeSeries.Builder longSeries = TimeSeries.builder("rt_long_total").label("a", "b");
    for (int s = 0; s < 12; s++) {
      longSeries.sample(s, BASE + s * 500L);
    }
    series.add(longSeries.build());
    series.add(TimeSeries.builder("rt_colon:metric").label("z", "last").label("a", "first")
        .sample(42, BASE).build());
    return series;
  }

  private static Map<Map<String, String>, List<RawSample>> expected(List<TimeSeries> sent,
      boolean withoutNan) {
    Map<Map<String, String>, List<RawSample>> expected = new LinkedHashMap<>();
    for (TimeSeries s : sent) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("__name__", s.metricName());
      for (int i = 0; i < s.labelCount(); i++) {
        labels.put(s.labelName(i), s.labelValue(i));
      }
      List<RawSample> samples = new ArrayList<>();
      for (int i = 0; i < s.sampleCount(); i++) {
        if (!(withoutNan && Double.isNaN(s.sampleValue(i)))) {
          samples.add(new RawSample(s.sampleTimestamp(i), s.sampleValue(i)));
        }
      }
      expected.put(labels, samples);
    }
    return expected;
  }
}
