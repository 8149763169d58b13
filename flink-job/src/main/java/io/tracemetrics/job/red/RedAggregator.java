package io.tracemetrics.job.red;

import io.tracemetrics.job.otlp.Dimensions;
import io.tracemetrics.job.otlp.SpanEvent;
import io.tracemetrics.sink.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
 * <p>A span is counted in the window its end time falls in. Its counts wait in {@code pending} until
 * the watermark passes that window's end; then they are added to the series' cumulative {@code totals},
 * and every live series of the key emits one sample stamped with the window's end. A span that arrives
 * after its window was emitted is late: it is counted in the next window to be emitted, never dropped.
 *
 * <p>A series keeps emitting every window, so queries see it, until it has had no span for the expiry
 * time (event time); then its state is cleared, and when a key has no series left it stops registering
 * timers. Emitted values depend only on the spans and the watermark, never on the wall clock here.
 */
public final class RedAggregator extends KeyedProcessFunction<ServiceSpan, SpanEvent, TimeSeries> {
  private static final long serialVersionUID = 1L;

  /** Cumulative counts and the last window a series had spans in: {@link LatencyBuckets} layout + 1. */
  private transient MapState<SeriesKey, long[]> totals;
  /** Counts of windows not emitted yet. */
  private transient MapState<PendingKey, long[]> pending;

  private final long windowMillis;
  private final long expiryMillis;
  private final LatencyBuckets buckets;
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
    if (window.toMillis() <= 0) {
      throw new IllegalArgumentException("the window must be at least 1 ms: " + window);
    }
    if (expiry.compareTo(window) < 0) {
      throw new IllegalArgumentException("series expiry " + expiry + " is shorter than the window " + window);
    }
    this.windowMillis = window.toMillis();
    this.expiryMillis = expiry.toMillis();
    this.buckets = buckets;
    this.emitter = new SeriesEmitter(names, buckets, dimensions);
  }

  @Override
  public void open(OpenContext openContext) {
    TypeInformation<long[]> counts = PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO;
    totals =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("totals", TypeInformation.of(SeriesKey.class), counts));
    pending =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("pending", TypeInformation.of(PendingKey.class), counts));
    MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("red");
    lateSpans = group.counter("spansLate");
    seriesCreated = group.counter("seriesCreated");
    seriesExpired = group.counter("seriesExpired");
    group.<Long, Gauge<Long>>gauge("liveSeries", () -> liveSeries);
    countingWindow = Long.MIN_VALUE;
  }

  @Override
  public void processElement(SpanEvent span, Context ctx, Collector<TimeSeries> out) throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    long windowEnd = windowEnd(span.endTimeMillis());
    if (windowEnd - 1 <= watermark) {
      lateSpans.inc();
      windowEnd = windowEnd(watermark + 1);
    }
    PendingKey key = new PendingKey(windowEnd, SeriesKey.of(span));
    long[] counts = pending.get(key);
    if (counts == null) {
      counts = buckets.newCounts();
    }
    buckets.add(counts, span.durationNanos());
    pending.put(key, counts);
    ctx.timerService().registerEventTimeTimer(windowEnd - 1);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<TimeSeries> out) throws Exception {
    long windowEnd = timestamp + 1;
    mergePending(windowEnd);
    boolean anyLive = false;
    Iterator<Map.Entry<SeriesKey, long[]>> it = totals.iterator();
    while (it.hasNext()) {
      Map.Entry<SeriesKey, long[]> entry = it.next();
      long[] counts = entry.getValue();
      if (windowEnd - lastActive(counts) >= expiryMillis) {
        it.remove();
        seriesExpired.inc();
        continue;
      }
      anyLive = true;
      emitter.emit(ctx.getCurrentKey(), entry.getKey(), counts, windowEnd, out);
      countLive(windowEnd);
    }
    if (anyLive) {
      ctx.timerService().registerEventTimeTimer(windowEnd + windowMillis - 1);
    } else {
      // Drop the key's state objects too, not just their entries.
      totals.clear();
      if (pending.isEmpty()) {
        pending.clear();
      }
    }
  }

  private void mergePending(long windowEnd) throws Exception {
    List<PendingKey> due = new ArrayList<>(2);
    for (PendingKey key : pending.keys()) {
      if (key.windowEnd() == windowEnd) {
        due.add(key);
      }
    }
    for (PendingKey key : due) {
      long[] total = totals.get(key.series());
      if (total == null) {
        total = new long[buckets.newCounts().length + 1];
        seriesCreated.inc();
      }
      LatencyBuckets.merge(total, pending.get(key));
      total[total.length - 1] = windowEnd;
      totals.put(key.series(), total);
      pending.remove(key);
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

  private static long lastActive(long[] counts) {
    return counts[counts.length - 1];
  }

  long windowEnd(long timestampMillis) {
    return timestampMillis - Math.floorMod(timestampMillis, windowMillis) + windowMillis;
  }
}
