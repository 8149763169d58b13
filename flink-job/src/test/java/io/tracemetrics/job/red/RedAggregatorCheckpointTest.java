package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.otlp.Dimensions;
import io.tracemetrics.job.otlp.SpanEvent;
import io.tracemetrics.sink.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The aggregator as the job runs it, writing a window once a checkpoint taken after it closed completes:
 * what a restore, a replayed backlog and a span years old may and may not do to what was written.
 */
class RedAggregatorCheckpointTest {
  private static final String CALLS = "llm_traces_span_metrics_calls_total";
  private static final Duration HORIZON = Duration.ofMinutes(5);
  private static final long NOW = 1_750_000_000_000L;

  private KeyedOneInputStreamOperatorTestHarness<ServiceSpan, WindowCounts, TimeSeries> harness;

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private void start(OperatorSubtaskState restoreFrom) throws Exception {
    start(restoreFrom, "hashmap");
  }

  /** With the heap backend or RocksDB (the deployments' backend: its values are copies, written back). */
  private void start(OperatorSubtaskState restoreFrom, String backend) throws Exception {
    RedAggregator aggregator = new RedAggregator(Duration.ofSeconds(10), Duration.ofSeconds(30), HORIZON, true,
        OneSpan.BUCKETS, new MetricNames(MetricNames.DEFAULT_NAMESPACE, MetricNames.LATENCY),
        Dimensions.of(List.of()));
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        aggregator, ServiceSpan.selector(), TypeInformation.of(ServiceSpan.class));
    if (backend.equals("rocksdb")) {
      harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    }
    if (restoreFrom != null) {
      harness.initializeState(restoreFrom);
    }
    harness.open();
  }

  private void span(String service, long endMillis) throws Exception {
    harness.processElement(new StreamRecord<>(OneSpan.counts(new SpanEvent(service, "op", 2, 1, endMillis, 1, ""))));
  }

  /** The calls samples written since the last call, as timestamp → value per service. */
  private Map<String, Map<Long, Double>> written() {
    Map<String, Map<Long, Double>> calls = new HashMap<>();
    for (TimeSeries series : harness.extractOutputValues()) {
      if (series.metricName().equals(CALLS)) {
        calls.computeIfAbsent(series.labelValue(0), s -> new java.util.TreeMap<>())
            .put(series.sampleTimestamp(0), series.sampleValue(0));
      }
    }
    harness.getOutput().clear();
    return calls;
  }

  @Test
  void aClosedWindowIsWrittenOnlyOnceACheckpointTakenAfterItClosedHasCompleted() throws Exception {
    start(null);
    span("a", 1_000);
    harness.processWatermark(9_999);
    assertThat(written()).as("closed, not checkpointed").isEmpty();

    harness.snapshot(1, 1);
    span("a", 12_000);
    harness.processWatermark(19_999);
    harness.snapshot(2, 2);
    assertThat(written()).as("checkpoints taken, none complete").isEmpty();

    harness.notifyOfCompletedCheckpoint(1);
    assertThat(written()).as("the window closed before checkpoint 1, with zeros before it")
        .containsExactly(Map.entry("a", Map.of(0L, 0d, 10_000L, 1d)));
    harness.notifyOfCompletedCheckpoint(2);
    assertThat(written()).containsExactly(Map.entry("a", Map.of(20_000L, 2d)));
  }

  @Test
  void checkpointsBeforeTheFirstWatermarkWriteNothingAndHoldNothingBack() throws Exception {
    start(null);
    span("a", 1_000);
    harness.snapshot(1, 1);
    harness.notifyOfCompletedCheckpoint(1);
    assertThat(written()).isEmpty();

    harness.processWatermark(9_999);
    harness.snapshot(2, 2);
    harness.notifyOfCompletedCheckpoint(2);
    assertThat(written()).containsExactly(Map.entry("a", Map.of(0L, 0d, 10_000L, 1d)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void aReplayAfterARestoreNeverWritesAWindowAgainWithAnotherValue(String backend) throws Exception {
    start(null, backend);
    span("a", 1_000);
    span("b", 1_000);
    span("b", 38_000);
    harness.processWatermark(45_000);
    OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
    harness.notifyOfCompletedCheckpoint(1);
    Map<String, Map<Long, Double>> before = written();
    // a expired in the window ending at 40 s: its stale markers are written just before it.
    assertThat(before.get("a")).containsEntry(30_000L, 1d).containsKey(39_999L);
    // The first run goes on (a late span of b, its next window) and fails before the next checkpoint completes.
    span("b", 22_000);
    harness.processWatermark(55_000);
    harness.snapshot(2, 2);
    assertThat(written()).as("nothing of the failed epoch reaches the store").isEmpty();
    harness.close();

    start(checkpoint, backend);
    // The backlog is read again from the checkpoint's offsets, and the watermark starts from nothing.
    span("a", 21_000); // a's window ending at 30 s was written (1): the span is late, not a rewrite of it
    span("b", 22_000);
    harness.processWatermark(55_000);
    harness.snapshot(3, 3);
    harness.notifyOfCompletedCheckpoint(3);
    Map<String, Map<Long, Double>> replay = written();

    for (String service : List.of("a", "b")) {
      replay.get(service).forEach((at, value) -> {
        Double earlier = before.get(service).get(at);
        if (earlier != null && !earlier.isNaN()) {
          assertThat(value).as("%s at %d, written %s before the failure", service, at, earlier).isEqualTo(earlier);
        }
      });
    }
    assertThat(replay.get("a")).as("a restarts after its expiry: zeros, then the late span")
        .containsEntry(40_000L, 0d).containsEntry(50_000L, 1d);
    assertThat(replay.get("b")).containsEntry(50_000L, 3d);
  }

  @Test
  void aSpanYearsOldAmongTheFirstRecordsIsCountedInTheNextWindowNotInWindowsOfItsOwn() throws Exception {
    start(null);
    long yearsAgo = NOW - Duration.ofDays(3 * 365).toMillis();
    span("a", yearsAgo);
    span("a", NOW);
    harness.processWatermark(NOW + 20_000);
    assertThat(harness.numEventTimeTimers()).as("the old window's counts moved to the first open one: one timer")
        .isEqualTo(1);
    harness.processWatermark(NOW + 30_000);
    harness.snapshot(1, 1);
    harness.notifyOfCompletedCheckpoint(1);

    Map<Long, Double> samples = written().get("a");
    assertThat(samples.keySet()).as("only windows near the watermark, never years of them")
        .allSatisfy(at -> assertThat(at).isGreaterThan(NOW - HORIZON.toMillis()));
    assertThat(samples.size()).isLessThan(6);
    assertThat(new ArrayList<>(samples.values())).last().isEqualTo(2d);
  }
}
