package io.tracemetrics.bench.job;

import io.tracemetrics.job.otlp.SpanEvent;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the sequence 0 … 2n+2 into the memory benchmark's spans: a hold, one span of each of n series in
 * window 1, one more of each in window 2, the marker (whose watermark closes window 1 only), a hold. At a
 * hold the task waits for the harness, which measures the heap meanwhile. So the state measured after
 * the second hold is the steady state: every series' cumulative totals, its pending counts of the open
 * window and its key's timer.
 *
 * <p>The latches are static: the MiniCluster runs in the harness's JVM, with the same classes.
 */
final class SeriesGenerator implements FlatMapFunction<Long, SpanEvent> {
  private static final long serialVersionUID = 1L;
  static final String MARKER_SERVICE = "marker";
  /** A window start, aligned to 10 s: 2023-11-14T22:13:20Z. */
  static final long T0 = 1_700_000_000_000L;

  static volatile CountDownLatch[] reached;
  static volatile CountDownLatch[] released;

  private final int series;
  private final int seriesPerKey;
  private final long windowMillis;

  SeriesGenerator(int series, int seriesPerKey, long windowMillis) {
    this.series = series;
    this.seriesPerKey = seriesPerKey;
    this.windowMillis = windowMillis;
  }

  static void reset() {
    reached = new CountDownLatch[] {new CountDownLatch(1), new CountDownLatch(1)};
    released = new CountDownLatch[] {new CountDownLatch(1), new CountDownLatch(1)};
  }

  /** The sequence's last element, inclusive. */
  long last() {
    return 2L * series + 2;
  }

  @Override
  public void flatMap(Long element, Collector<SpanEvent> out) throws InterruptedException {
    long i = element;
    if (i == 0 || i == last()) {
      hold(i == 0 ? 0 : 1);
    } else if (i == last() - 1) {
      out.collect(new SpanEvent(MARKER_SERVICE, "marker", 1, 0, T0 + windowMillis + windowMillis / 2, 1, ""));
    } else {
      int s = (int) ((i - 1) % series);
      long window = (i - 1) / series;
      out.collect(span(s, T0 + window * windowMillis + s % 1000));
    }
  }

  /** Series s: key s / seriesPerKey (1,000 services), status code s % seriesPerKey. */
  private SpanEvent span(int s, long endMillis) {
    int key = s / seriesPerKey;
    return new SpanEvent("service-" + key % 1000, "GET /api/v1/resource-" + key, 2, s % seriesPerKey,
        endMillis, 1_000_000L + s % 5_000_000, "");
  }

  private static void hold(int index) throws InterruptedException {
    reached[index].countDown();
    if (!released[index].await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the harness never released hold " + index);
    }
  }
}
