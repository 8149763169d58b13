package io.tracemetrics.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.otlp.Dimensions;
import io.tracemetrics.job.red.LatencyBuckets;
import io.tracemetrics.job.red.MetricNames;
import io.tracemetrics.job.red.RedAggregator;
import io.tracemetrics.job.red.SeriesKey;
import io.tracemetrics.job.red.ServiceSpan;
import io.tracemetrics.job.red.WindowCounts;
import io.tracemetrics.testsupport.junit.PrometheusExtension;
import io.tracemetrics.testsupport.junit.VictoriaMetricsExtension;
import io.tracemetrics.testsupport.store.MetricStore;
import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.Prometheus;
import io.tracemetrics.testsupport.store.RawSample;
import io.tracemetrics.testsupport.store.Sample;
import io.tracemetrics.sink.RemoteWriteSink;
import io.tracemetrics.sink.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PromQL's {@code increase()} counts every span of a series, over ranges covering its start and its return
 * after expiry, in both real stores: RedAggregator's samples go through the real sink into VictoriaMetrics
 * 1.79 and Prometheus 2.42, and the stores' own query engines do the counting.
 *
 * <p>Series {@code svc/op}: 1 span in the window ending at 10 s (after base), expired 60 s later, back with
 * 2 spans at 120 s (a value not below the 1 stored before: without the zeros, invisible as a restart) and 1
 * at 130 s: 4 spans.
 */
class IncreaseVisibleIT {
  private static final long WINDOW = 10_000;
  private static final Duration EXPIRY = Duration.ofSeconds(60);
  private static final LatencyBuckets BUCKETS = new LatencyBuckets(LatencyBuckets.DEFAULT_BOUNDS_MS);
  private static final String CALLS = "llm_traces_span_metrics_calls_total{service_name=\"svc\"}";
  // Twenty minutes back, so the whole life of the series is in the past and within Prometheus' head.
  private static final long BASE = (System.currentTimeMillis() - 20 * 60_000) / WINDOW * WINDOW;

  @RegisterExtension
  @Order(1)
  static final VictoriaMetricsExtension VM = new VictoriaMetricsExtension();

  @RegisterExtension
  @Order(2)
  static final PrometheusExtension PROMETHEUS = new PrometheusExtension(Prometheus::builder);

  @BeforeAll
  static void runTheAggregatorIntoBothStores() throws Exception {
    List<WindowCounts> input = new ArrayList<>();
    input.add(counts("svc", BASE + 10_000, 1));
    // Another key's counts move the watermark past svc's expiry before svc comes back.
    input.add(counts("clock", BASE + 100_000, 1));
    input.add(counts("svc", BASE + 120_000, 2));
    input.add(counts("svc", BASE + 130_000, 1));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.fromData(input)
        .assignTimestampsAndWatermarks(WatermarkStrategy.<WindowCounts>forGenerator(ctx -> new EachEvent())
            .withTimestampAssigner((counts, ts) -> counts.windowEnd() - 1))
        .keyBy(ServiceSpan.selector())
        .transform("red", TypeInformation.of(TimeSeries.class), new RedAggregator(Duration.ofMillis(WINDOW), EXPIRY,
            Duration.ofMinutes(5), false, BUCKETS, new MetricNames(MetricNames.DEFAULT_NAMESPACE, MetricNames.LATENCY),
            Dimensions.of(List.of())))
        .sinkTo(RemoteWriteSink.builder()
            .endpoint(VM.store().remoteWriteUrl())
            .additionalEndpoint(PROMETHEUS.store().remoteWriteUrl())
            .build());
    env.execute("increase-visible");
    VM.store().forceFlush();
  }

  static Stream<Arguments> stores() {
    return Stream.of(Arguments.of("VictoriaMetrics", VM.store()), Arguments.of("Prometheus", PROMETHEUS.store()));
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false) // the stores outlive a test
  @MethodSource("stores")
  void increaseOverTheWholeLifeCountsEverySpan(String name, MetricStore store) {
    // At the last value (180 s), over a range reaching back before the first zero.
    assertThat(increase(store.query(), "200s", BASE + 180_000)).isEqualTo(4);
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false) // the stores outlive a test
  @MethodSource("stores")
  void increaseOverTheFirstWindowCountsItsSpans(String name, MetricStore store) {
    assertThat(increase(store.query(), "15s", BASE + 10_000)).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false) // the stores outlive a test
  @MethodSource("stores")
  void increaseOverTheReturnCountsItsSpansAsARestart(String name, MetricStore store) {
    assertThat(increase(store.query(), "15s", BASE + 120_000)).isEqualTo(2);
    assertThat(increase(store.query(), "30s", BASE + 130_000)).isEqualTo(3);
    assertThat(increase(store.query(), "70s", BASE + 130_000)).as("from the last value before expiry")
        .isEqualTo(3);
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false) // the stores outlive a test
  @MethodSource("stores")
  void anExpiredSeriesLeavesInstantQueriesAtOnce(String name, MetricStore store) {
    PromQuery query = store.query();
    assertThat(query.instant(CALLS, Instant.ofEpochMilli(BASE + 65_000))).extracting(Sample::value)
        .containsExactly(1.0);
    // Its stale marker (69.999 s) ends it; without one it would stay visible for 5 minutes of look-back.
    assertThat(query.instant(CALLS, Instant.ofEpochMilli(BASE + 75_000))).isEmpty();
    assertThat(query.instant(CALLS, Instant.ofEpochMilli(BASE + 185_000))).extracting(Sample::value)
        .containsExactly(3.0);
    assertThat(query.instant(CALLS, Instant.ofEpochMilli(BASE + 195_000))).isEmpty();
  }

  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("stores")
  void rawSamplesShowTheZerosAndTheStaleMarkers(String name, MetricStore store) {
    List<RawSample> raw = store.query().rawSamples(CALLS);
    List<String> shown = raw.stream()
        .map(s -> (s.timestampMillis() - BASE) + "=" + (Double.isNaN(s.value()) ? "stale" : (long) s.value()))
        .toList();
    List<String> expected = new ArrayList<>(List.of("0=0", "10000=1", "20000=1", "30000=1", "40000=1",
        "50000=1", "60000=1", "69999=stale", "110000=0", "120000=2", "130000=3", "140000=3", "150000=3",
        "160000=3", "170000=3", "180000=3", "189999=stale"));
    if (store instanceof Prometheus) {
      // Its raw samples are read with a range selector, and range selectors leave stale markers out.
      expected.removeIf(s -> s.endsWith("stale"));
    }
    assertThat(shown).containsExactlyElementsOf(expected);
  }

  private static double increase(PromQuery query, String range, long atMillis) {
    List<Sample> result = query.instant("increase(" + CALLS + "[" + range + "])", Instant.ofEpochMilli(atMillis));
    assertThat(result).as("increase over %s at base + %d ms", range, atMillis - BASE).hasSize(1);
    return result.get(0).value();
  }

  private static WindowCounts counts(String service, long windowEnd, int spans) {
    long[] counts = BUCKETS.newCounts();
    for (int i = 0; i < spans; i++) {
      BUCKETS.add(counts, 3_000_000);
    }
    SeriesKey series = new SeriesKey(2, 1, "", new String[0], false);
    return new WindowCounts(service, "op", series, windowEnd, counts);
  }

  /** A watermark just behind each element: the windows before it close before it is counted. */
  static final class EachEvent implements WatermarkGenerator<WindowCounts> {
    @Override
    public void onEvent(WindowCounts counts, long timestamp, WatermarkOutput output) {
      output.emitWatermark(new Watermark(timestamp - 1));
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {}
  }
}
