package io.tracemetrics.job.red;

import io.tracemetrics.job.otlp.Dimensions;
import io.tracemetrics.sink.TimeSeries;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Cumulative RED values per series, emitted once per event-time window.
 *
 * <p>Input is {@link WindowCounts}: a series' spans of one window, summed upstream. They are counted in
 * their window: they wait in the series' pending block of that window until the watermark passes the
 * window's end; then they are added to the series' cumulative counts, and every live series of the key
 * emits one sample stamped with the window's end. Counts that arrive after their window was emitted are
 * late: they are counted in the next window to be emitted, never dropped.
 *
 * <p>A series keeps emitting every window, so queries see it, until it has had no span for the expiry
 * time (event time); then its state is cleared, and when a key has no series left it stops registering
 * timers. Emitted values depend only on the spans and the watermark, never on the wall clock here.
 *
 * <p>So that {@code increase()} over any range counts every span, a series' life is bounded in the store:
 * its first emission is preceded by zeros one window earlier (no earlier sample of it exists, as it is new
 * or its state expired with a stale marker: the restart is a visible drop to 0), and the window in which
 * it expires writes staleness markers one millisecond before that window's end, after its last value and
 * before any zero of a return (which comes at least one window later). Both follow from the state and
 * the watermark alone, so a replay writes them again, identically.
 */
public final class RedAggregator extends KeyedProcessFunction<ServiceSpan, WindowCounts, TimeSeries> {
  private static final long serialVersionUID = 1L;

  /** Each series' cumulative counts, last active window and pending windows, as {@link SeriesState}. */
  private transient MapState<SeriesKey, long[]> series;

  private final long windowMillis;
  private final long expiryMillis;
  private final SeriesState layout;
  private final SeriesEmitter emitter;

  private transient Counter lateSpans;
  private transient Counter seriesCreated;
  private transient Counter seriesExpired;
  // Live series: every live series emits once per window, and timers fire in timestamp order, so the
  // series emitted for one window end, counted until the next window end fires, are this subtask's live
  // series. Nothing per key is kept for it, and it is right one window after a restore.
  private transient long countingWindow;
  private transient long countingSeries;
  private transient long liveSeries;

  /**
   * @param window the window size
   * @param expiry how long a series without spans keeps emitting before its state is cleared
   */
  public RedAggregator(
      Duration window, Duration expiry, LatencyBuckets buckets, MetricNames names, Dimensions dimensions) {
    if (window.toMillis() < 2) {
      // The stale marker goes 1 ms before the end of the window after a series' last value.
      throw new IllegalArgumentException("the window must be at least 2 ms: " + window);
    }
    if (expiry.compareTo(window) < 0) {
      throw new IllegalArgumentException("series expiry " + expiry + " is shorter than the window " + window);
    }
    this.windowMillis = window.toMillis();
    this.expiryMillis = expiry.toMillis();
    this.layout = new SeriesState(buckets);
    this.emitter = new SeriesEmitter(names, buckets, dimensions);
  }

  @Override
  public void open(OpenContext openContext) {
    series = getRuntimeContext().getMapState(new MapStateDescriptor<>(
        "series", TypeInformation.of(SeriesKey.class), PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("red");
    lateSpans = group.counter("spansLate");
    seriesCreated = group.counter("seriesCreated");
    seriesExpired = group.counter("seriesExpired");
    group.<Long, Gauge<Long>>gauge("liveSeries", () -> liveSeries);
    countingWindow = Long.MIN_VALUE;
  }

  @Override
  public void processElement(WindowCounts counts, Context ctx, Collector<TimeSeries> out) throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    long windowEnd = counts.windowEnd();
    if (windowEnd - 1 <= watermark) {
      lateSpans.inc(counts.spanCount());
      windowEnd = WindowCounts.windowEnd(watermark + 1, windowMillis);
    }
    long[] state = series.get(counts.series());
    series.put(counts.series(), layout.addPending(state != null ? state : layout.create(), windowEnd, counts.counts()));
    ctx.timerService().registerEventTimeTimer(windowEnd - 1);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<TimeSeries> out) throws Exception {
    long windowEnd = timestamp + 1;
    boolean anyLive = false;
    Iterator<Map.Entry<SeriesKey, long[]>> it = series.iterator();
    while (it.hasNext()) {
      Map.Entry<SeriesKey, long[]> entry = it.next();
      long[] state = entry.getValue();
      long[] merged = layout.mergeDue(state, windowEnd);
      boolean first = false;
      if (merged != state) {
        first = layout.lastActive(state) == SeriesState.NEVER;
        if (first) {
          seriesCreated.inc();
        }
        entry.setValue(merged);
      }
      long lastActive = layout.lastActive(merged);
      if (lastActive == SeriesState.NEVER) {
        continue; // only counts of later windows so far: its own timer comes
      }
      if (windowEnd - lastActive >= expiryMillis && !layout.hasPending(merged)) {
        it.remove();
        seriesExpired.inc();
        emitter.emitStale(ctx.getCurrentKey(), entry.getKey(), windowEnd - 1, out);
        continue;
      }
      anyLive = true;
      if (first) {
        // Before the values: a writer sends them in order, so the zero is never out of order in the store.
        emitter.emitZeros(ctx.getCurrentKey(), entry.getKey(), windowEnd - windowMillis, out);
      }
      emitter.emit(ctx.getCurrentKey(), entry.getKey(), merged, windowEnd, out);
      countLive(windowEnd);
    }
    if (anyLive) {
      ctx.timerService().registerEventTimeTimer(windowEnd + windowMillis - 1);
    } else if (series.isEmpty()) {
      series.clear(); // drops the key's map itself, not just its entries
    }
  }

  /** This subtask's live series, as of the last complete window. */
  long liveSeries() {
    return liveSeries;
  }

  private void countLive(long windowEnd) {
    if (windowEnd != countingWindow) {
      if (countingWindow != Long.MIN_VALUE) {
        liveSeries = countingSeries;
      }
      countingWindow = windowEnd;
      countingSeries = 0;
    }
    countingSeries++;
  }
}
