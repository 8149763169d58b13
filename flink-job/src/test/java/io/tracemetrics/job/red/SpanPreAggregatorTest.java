package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.otlp.Dimensions;
import io.tracemetrics.job.otlp.SpanEvent;
import io.tracemetrics.sink.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SpanPreAggregatorTest {
  private static final Duration WINDOW = Duration.ofMillis(OneSpan.WINDOW_MILLIS);

  private static OneInputStreamOperatorTestHarness<SpanEvent, WindowCounts> harness(int maxBuffered)
      throws Exception {
    var harness = new OneInputStreamOperatorTestHarness<SpanEvent, WindowCounts>(
        new SpanPreAggregator(WINDOW, OneSpan.BUCKETS, maxBuffered));
    harness.open();
    return harness;
  }

  private static int buffered(OneInputStreamOperatorTestHarness<SpanEvent, WindowCounts> harness) {
    return ((SpanPreAggregator) harness.getOperator()).buffered();
  }

  private static void span(OneInputStreamOperatorTestHarness<SpanEvent, WindowCounts> harness, String name,
      int status, long end, long durationMillis) throws Exception {
    harness.processElement(new StreamRecord<>(new SpanEvent("svc", name, 2, status, end, durationMillis * 1_000_000, "")));
  }

  @Test
  void spansOfOneSeriesAndWindowAreSummedAndEmittedBeforeTheNextWatermark() throws Exception {
    try (var harness = harness(100)) {
      span(harness, "op", 1, 1_000, 1);
      span(harness, "op", 1, 9_999, 3);
      span(harness, "op", 2, 5_000, 20_000);
      span(harness, "op", 1, 10_000, 1);
      assertThat(harness.getOutput()).as("nothing before a watermark").isEmpty();

      harness.processWatermark(500);
      List<Object> out = new ArrayList<>(harness.getOutput());
      assertThat(out).hasSize(4);
      assertThat(out.get(3)).as("the watermark comes after every sum").isEqualTo(new Watermark(500));
      assertThat(harness.extractOutputValues())
          .extracting(c -> c.series().statusCode() + "@" + c.windowEnd() + "=" + c.spanCount() + "/" + c.counts()[1])
          .containsExactlyInAnyOrder("1@10000=2/4000000", "2@10000=1/20000000000", "1@20000=1/1000000");
      assertThat(buffered(harness)).isZero();
    }
  }

  @Test
  void aCheckpointBarrierEmitsEverySumSoNothingNeedsState() throws Exception {
    try (var harness = harness(100)) {
      span(harness, "op", 1, 1_000, 1);
      harness.prepareSnapshotPreBarrier(1);
      assertThat(harness.extractOutputValues()).extracting(WindowCounts::spanCount).containsExactly(1L);
      assertThat(buffered(harness)).isZero();
    }
  }

  @Test
  void theEndOfABoundedInputEmitsEverySum() throws Exception {
    try (var harness = harness(100)) {
      span(harness, "op", 1, 1_000, 1);
      harness.getOperator().finish();
      assertThat(harness.extractOutputValues()).extracting(WindowCounts::spanCount).containsExactly(1L);
    }
  }

  @Test
  void atMostMaxBufferedSumsAreOpen() throws Exception {
    try (var harness = harness(2)) {
      span(harness, "a", 1, 1_000, 1);
      span(harness, "b", 1, 1_000, 1);
      span(harness, "a", 1, 1_000, 1);
      assertThat(harness.getOutput()).as("a known sum takes no room").isEmpty();
      span(harness, "c", 1, 1_000, 1);
      assertThat(harness.extractOutputValues()).extracting(WindowCounts::spanName).containsExactlyInAnyOrder("a", "b");
      assertThat(buffered(harness)).isEqualTo(1);
    }
  }

  /**
   * The reason the stage may exist: with late spans, several series and windows and random watermarks,
   * the aggregator emits exactly the same samples whether it gets each span alone or the sums.
   */
  @Test
  void theAggregatorEmitsTheSameSamplesWithAndWithoutSums() throws Exception {
    Random random = new Random(42);
    List<Object> input = new ArrayList<>();
    long watermark = 0;
    for (int i = 0; i < 5_000; i++) {
      if (random.nextInt(50) == 0) {
        watermark += random.nextInt(4_000);
        input.add(new Watermark(watermark));
      } else {
        long end = Math.max(1, watermark + random.nextInt(8_000) - 3_000);
        input.add(new SpanEvent("svc-" + random.nextInt(3), "op-" + random.nextInt(3), 2, random.nextInt(3), end,
            random.nextInt(3_000_000) * 1_000L, random.nextBoolean() ? "eu" : ""));
      }
    }
    input.add(new Watermark(watermark + 100_000));

    List<String> alone = aggregate(spansAlone(input));
    List<String> summed = aggregate(summed(input));
    assertThat(alone).hasSizeGreaterThan(1_000);
    assertThat(summed).isEqualTo(alone);
  }

  private static List<Object> spansAlone(List<Object> input) {
    List<Object> out = new ArrayList<>();
    for (Object element : input) {
      out.add(element instanceof SpanEvent span ? OneSpan.counts(span) : element);
    }
    return out;
  }

  private static List<Object> summed(List<Object> input) throws Exception {
    try (var harness = harness(50)) {
      for (Object element : input) {
        if (element instanceof SpanEvent span) {
          harness.processElement(new StreamRecord<>(span));
        } else {
          harness.processWatermark((Watermark) element);
        }
      }
      List<Object> out = new ArrayList<>();
      for (Object element : harness.getOutput()) {
        out.add(element instanceof StreamRecord<?> record ? record.getValue() : element);
      }
      return out;
    }
  }

  /** Every emitted sample as text, sorted within each watermark's output (the order of keys is free). */
  private static List<String> aggregate(List<Object> input) throws Exception {
    RedAggregator aggregator = new RedAggregator(WINDOW, Duration.ofSeconds(30), Duration.ofMinutes(5), false,
        OneSpan.BUCKETS, new MetricNames(MetricNames.DEFAULT_NAMESPACE, MetricNames.LATENCY), Dimensions.of(List.of()));
    try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
        aggregator, ServiceSpan.selector(), TypeInformation.of(ServiceSpan.class))) {
      harness.open();
      List<String> samples = new ArrayList<>();
      for (Object element : input) {
        if (element instanceof WindowCounts counts) {
          harness.processElement(new StreamRecord<>(counts));
        } else {
          harness.processWatermark((Watermark) element);
          List<String> emitted = new ArrayList<>();
          for (TimeSeries series : harness.extractOutputValues()) {
            emitted.add(series.toString());
          }
          emitted.sort(null);
          samples.addAll(emitted);
          harness.getOutput().clear();
        }
      }
      return samples;
    }
  }
}
