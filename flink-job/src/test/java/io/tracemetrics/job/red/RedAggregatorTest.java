package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.otlp.Dimensions;
import io.tracemetrics.job.otlp.SpanEvent;
import io.tracemetrics.sink.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedAggregatorTest {
  private static final int SERVER = 2;
  private static final int OK = 1;
  private static final int ERROR = 2;
  private static final String CALLS = "llm_traces_span_metrics_calls_total";

  private KeyedOneInputStreamOperatorTestHarness<ServiceSpan, WindowCounts, TimeSeries> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = harness();
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private RedAggregator aggregator;

  private KeyedOneInputStreamOperatorTestHarness<ServiceSpan, WindowCounts, TimeSeries> harness()
      throws Exception {
    aggregator =
        new RedAggregator(
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofMinutes(5),
            false,
            new LatencyBuckets(LatencyBuckets.DEFAULT_BOUNDS_MS),
            new MetricNames(MetricNames.DEFAULT_NAMESPACE, MetricNames.LATENCY),
            Dimensions.of(List.of("tier")));
    return new KeyedOneInputStreamOperatorTestHarness<>(
        aggregator, ServiceSpan.selector(), TypeInformation.of(ServiceSpan.class));
  }

  private void span(String service, String name, int status, long endMillis, long durationMillis) throws Exception {
    send(new SpanEvent(service, name, SERVER, status, endMillis, durationMillis * 1_000_000L, ""));
  }

  private void send(SpanEvent span) throws Exception {
    harness.processElement(new StreamRecord<>(OneSpan.counts(span)));
  }

  /** Emitted samples as "name{labels}@timestamp" → value, in emission order. */
  private Map<String, Double> drain() {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (TimeSeries series : harness.extractOutputValues()) {
      StringBuilder id = new StringBuilder(series.metricName()).append('{');
      for (int i = 0; i < series.labelCount(); i++) {
        if (!series.labelName(i).equals("span_kind")) {
          id.append(series.labelName(i)).append('=').append(series.labelValue(i)).append(',');
        }
      }
      id.append("}@").append(series.sampleTimestamp(0));
      samples.put(id.toString(), series.sampleValue(0));
    }
    harness.getOutput().clear();
    return samples;
  }

  private static String calls(String service, String span, String status, long at) {
    return CALLS + "{service_name=" + service + ",span_name=" + span + ",status_code=" + status + ",}@" + at;
  }

  @Test
  void aWindowEmitsCumulativeCallsAndHistogramAtItsEnd() throws Exception {
    span("checkout", "GET /cart", OK, 1_000, 3);
    span("checkout", "GET /cart", OK, 9_999, 2);
    span("checkout", "GET /cart", ERROR, 5_000, 20_000);
    span("checkout", "GET /cart", OK, 12_000, 1);

    harness.processWatermark(9_998);
    assertThat(drain()).isEmpty();

    harness.processWatermark(9_999);
    Map<String, Double> first = drain();
    assertThat(first)
        .containsEntry(calls("checkout", "GET /cart", "STATUS_CODE_OK", 10_000), 2.0)
        .containsEntry(calls("checkout", "GET /cart", "STATUS_CODE_ERROR", 10_000), 1.0)
        .containsEntry("llm_traces_span_metrics_latency_bucket{le=2,service_name=checkout,span_name=GET /cart,"
            + "status_code=STATUS_CODE_OK,}@10000", 1.0)
        .containsEntry("llm_traces_span_metrics_latency_bucket{le=4,service_name=checkout,span_name=GET /cart,"
            + "status_code=STATUS_CODE_OK,}@10000", 2.0)
        .containsEntry("llm_traces_span_metrics_latency_bucket{le=15000,service_name=checkout,span_name=GET /cart,"
            + "status_code=STATUS_CODE_ERROR,}@10000", 0.0)
        .containsEntry("llm_traces_span_metrics_latency_bucket{le=+Inf,service_name=checkout,span_name=GET /cart,"
            + "status_code=STATUS_CODE_ERROR,}@10000", 1.0)
        .containsEntry("llm_traces_span_metrics_latency_sum{service_name=checkout,span_name=GET /cart,"
            + "status_code=STATUS_CODE_OK,}@10000", 5.0)
        .containsEntry("llm_traces_span_metrics_latency_count{service_name=checkout,span_name=GET /cart,"
            + "status_code=STATUS_CODE_OK,}@10000", 2.0);
    // 2 series x (calls + 17 buckets + sum + count), each at its first value and as zeros one window before
    assertThat(first).hasSize(2 * 20 * 2);

    harness.processWatermark(19_999);
    assertThat(drain())
        .containsEntry(calls("checkout", "GET /cart", "STATUS_CODE_OK", 20_000), 3.0)
        .containsEntry(calls("checkout", "GET /cart", "STATUS_CODE_ERROR", 20_000), 1.0);
  }

  @Test
  void aLateSpanIsCountedInTheNextWindowEmittedNotDropped() throws Exception {
    span("a", "op", OK, 1_000, 1);
    harness.processWatermark(25_000);
    assertThat(drain())
        .containsEntry(calls("a", "op", "STATUS_CODE_OK", 10_000), 1.0)
        .containsEntry(calls("a", "op", "STATUS_CODE_OK", 20_000), 1.0);

    span("a", "op", OK, 2_000, 1);
    span("a", "op", ERROR, 3_000, 1);
    harness.processWatermark(29_999);
    assertThat(drain())
        .containsEntry(calls("a", "op", "STATUS_CODE_OK", 30_000), 2.0)
        .containsEntry(calls("a", "op", "STATUS_CODE_ERROR", 30_000), 1.0);
  }

  @Test
  void idleSeriesExpireAndLeaveNoStateOrTimers() throws Exception {
    span("a", "op", OK, 1_000, 1);
    span("b", "op", OK, 1_000, 1);
    harness.processWatermark(35_000);
    assertThat(harness.numKeyedStateEntries()).isPositive();

    span("b", "op", OK, 36_000, 1);
    harness.processWatermark(45_000);
    List<String> keysAt40s = new ArrayList<>();
    drain().keySet().stream().filter(k -> k.startsWith(CALLS) && k.endsWith("@40000")).forEach(keysAt40s::add);
    // "a" last had spans in the window ending at 10 s: 30 s of expiry later it is gone; "b" is alive.
    assertThat(keysAt40s).containsExactly(calls("b", "op", "STATUS_CODE_OK", 40_000));
    assertThat(aggregator.liveSeries()).as("live series as of the window ending at 40 s").isEqualTo(1);

    harness.processWatermark(200_000);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void overflowDimensionsAndExcludedLabelsShapeTheSeriesLabels() throws Exception {
    send(new SpanEvent("a", "op", SpanEvent.EXCLUDED, OK, 1_000, 1_000_000, "eu", new String[] {"gold"}));
    harness.processElement(new StreamRecord<>(OneSpan.counts(new SpanEvent("a", "op2", SERVER, OK, 1_000, 1, "")).asOverflow()));
    harness.processWatermark(9_999);
    List<String> calls = new ArrayList<>();
    for (TimeSeries series : harness.extractOutputValues()) {
      if (series.metricName().equals(CALLS) && series.sampleTimestamp(0) == 10_000) {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < series.labelCount(); i++) {
          labels.append(series.labelName(i)).append('=').append(series.labelValue(i)).append(' ');
        }
        calls.add(labels.toString().strip());
      }
    }
    assertThat(calls).containsExactlyInAnyOrder(
        "region=eu service_name=a span_name=op status_code=STATUS_CODE_OK tier=gold",
        "otel_metric_overflow=true service_name=a");
  }

  @Test
  void restoreFromASnapshotContinuesTheSameCounters() throws Exception {
    span("a", "op", OK, 1_000, 1);
    harness.processWatermark(9_999);
    drain();
    span("a", "op", OK, 11_000, 1);
    var snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = harness();
    harness.initializeState(snapshot);
    harness.open();
    harness.processWatermark(19_999);
    assertThat(drain()).containsEntry(calls("a", "op", "STATUS_CODE_OK", 20_000), 2.0);
  }

  @Test
  void aNewSeriesIsWrittenAsZerosOneWindowBeforeItsFirstValue() throws Exception {
    span("a", "op", OK, 11_000, 3);
    harness.processWatermark(19_999);

    List<TimeSeries> out = harness.extractOutputValues();
    assertThat(out).hasSize(2 * 20);
    assertThat(out.subList(0, 20)).as("zeros come first, so a writer never sends them out of order")
        .allSatisfy(series -> {
          assertThat(series.sampleTimestamp(0)).isEqualTo(10_000);
          assertThat(series.sampleValue(0)).isZero();
        });
    assertThat(out.subList(20, 40)).allSatisfy(series -> assertThat(series.sampleTimestamp(0)).isEqualTo(20_000));
    assertThat(drain()).containsEntry(calls("a", "op", "STATUS_CODE_OK", 10_000), 0.0)
        .containsEntry(calls("a", "op", "STATUS_CODE_OK", 20_000), 1.0);

    span("a", "op", OK, 21_000, 3);
    harness.processWatermark(29_999);
    assertThat(drain()).as("only a series' first value has zeros before it").hasSize(20)
        .containsEntry(calls("a", "op", "STATUS_CODE_OK", 30_000), 2.0);
  }

  @Test
  void aSeriesEndsWithStaleMarkersAndComesBackFromZeros() throws Exception {
    span("a", "op", OK, 1_000, 3);
    harness.processWatermark(35_000);
    assertThat(drain()).containsEntry(calls("a", "op", "STATUS_CODE_OK", 30_000), 1.0);

    harness.processWatermark(39_999);
    List<TimeSeries> expired = harness.extractOutputValues();
    harness.getOutput().clear();
    // Expiry 30 s after its last active window (ending at 10 s): the window ending at 40 s writes no value
    // but a stale marker just before its end, for every sample of the series.
    assertThat(expired).hasSize(20).allSatisfy(series -> {
      assertThat(series.sampleTimestamp(0)).isEqualTo(39_999);
      assertThat(Double.doubleToRawLongBits(series.sampleValue(0))).isEqualTo(0x7ff0000000000002L);
    });

    span("a", "op", OK, 41_000, 3);
    harness.processWatermark(49_999);
    // Its value is 1 again, not below the 1 stored before: only the zeros make the restart visible.
    assertThat(drain()).hasSize(40)
        .containsEntry(calls("a", "op", "STATUS_CODE_OK", 40_000), 0.0)
        .containsEntry(calls("a", "op", "STATUS_CODE_OK", 50_000), 1.0);
  }

  @Test
  void aReplayFromASnapshotWritesIdenticalSamplesZerosAndStaleMarkersIncluded() throws Exception {
    span("a", "op", OK, 1_000, 3);
    harness.processWatermark(9_999);
    harness.getOutput().clear();
    var snapshot = harness.snapshot(1, 1);

    List<TimeSeries> firstRun = runAfterSnapshot();
    harness.close();
    harness = harness();
    harness.initializeState(snapshot);
    harness.open();
    List<TimeSeries> replay = runAfterSnapshot();

    // Series-samples of 20 each: at 20 s a's value, b's zeros and value; at 30 s both; at 40 s a's stale
    // markers and b; at 50 s b's stale markers; at 60 s zeros and value of a (OK, back) and a (ERROR, new);
    // at 70 s and 80 s both; at 90 s their stale markers.
    assertThat(firstRun).as("a new series, an expiry and a return").hasSize(20 * (3 + 2 + 2 + 1 + 4 + 2 + 2 + 2));
    // TimeSeries compares values bit for bit: a stale marker equals only a stale marker.
    assertThat(replay).containsExactlyElementsOf(firstRun);
  }

  /** After the snapshot: series b starts, a expires, a comes back, then everything expires. */
  private List<TimeSeries> runAfterSnapshot() throws Exception {
    span("b", "op", OK, 12_000, 1);
    harness.processWatermark(45_000);
    span("a", "op", ERROR, 52_000, 7);
    span("a", "op", OK, 53_000, 7);
    harness.processWatermark(200_000);
    List<TimeSeries> out = new ArrayList<>(harness.extractOutputValues());
    harness.getOutput().clear();
    return out;
  }
}
