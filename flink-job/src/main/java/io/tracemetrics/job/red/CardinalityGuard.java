package io.tracemetrics.job.red;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Bounds the series of one service, keyed by service name: counts of a series the service already has
 * pass; counts of a new series pass while the service has fewer than {@code maxSeries}; otherwise they
 * are counted in the service's one overflow series ({@code otel_metric_overflow="true"}), so totals stay
 * exact while memory and the store's cardinality stay bounded. Series idle longer than the expiry (event
 * time) give their place up when room is needed.
 *
 * <p>Which series are idle is judged against the watermark, or, right after a restore while the new run's
 * watermark is still behind, against the one checkpointed: the limit decides after a restore as it would
 * have without the failure, never sending a series it had admitted to overflow for want of a watermark.
 *
 * <p>A series is known by a 64-bit fingerprint of its labels, not by the labels: 40 bytes less per series.
 * Two series of one service with the same fingerprint (about 3 in a trillion for a service at 10,000
 * series) would take one place: the service could have one series more than its limit. No count is
 * affected either way.
 */
public final class CardinalityGuard extends KeyedProcessFunction<String, WindowCounts, WindowCounts>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private final int maxSeries;
  private final long expiryMillis;
  /** Series fingerprint → end of the newest window it had spans in. */
  private transient MapState<Long, Long> lastSeen;
  private transient ValueState<Integer> seriesCount;
  private transient Counter spansOverflowed;
  /** The largest watermark seen, restored as the largest any subtask checkpointed. */
  private transient ListState<Long> floorState;
  private transient long watermark = Long.MIN_VALUE;

  public CardinalityGuard(int maxSeries, Duration expiry) {
    if (maxSeries < 1) {
      throw new IllegalArgumentException("the series limit must be at least 1: " + maxSeries);
    }
    this.maxSeries = maxSeries;
    this.expiryMillis = expiry.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    lastSeen = getRuntimeContext().getMapState(new MapStateDescriptor<>("lastSeen", Types.LONG, Types.LONG));
    seriesCount = getRuntimeContext().getState(new ValueStateDescriptor<>("seriesCount", Types.INT));
    spansOverflowed = getRuntimeContext().getMetricGroup().addGroup("red").counter("spansOverflowed");
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    floorState = context.getOperatorStateStore()
        .getUnionListState(new ListStateDescriptor<>("watermark-floor", Types.LONG));
    for (Long restored : floorState.get()) {
      watermark = Math.max(watermark, restored);
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    floorState.update(List.of(watermark));
  }

  @Override
  public void processElement(WindowCounts counts, Context ctx, Collector<WindowCounts> out) throws Exception {
    watermark = Math.max(watermark, ctx.timerService().currentWatermark());
    long id = fingerprint(counts);
    Long seen = lastSeen.get(id);
    if (seen != null) {
      if (counts.windowEnd() > seen) {
        lastSeen.put(id, counts.windowEnd());
      }
      out.collect(counts);
      return;
    }
    int count = seriesCount.value() == null ? 0 : seriesCount.value();
    if (count >= maxSeries) {
      count -= evictIdle(watermark);
    }
    if (count < maxSeries) {
      lastSeen.put(id, counts.windowEnd());
      seriesCount.update(count + 1);
      out.collect(counts);
    } else {
      seriesCount.update(count);
      spansOverflowed.inc(counts.spanCount());
      out.collect(counts.asOverflow());
    }
  }

  private int evictIdle(long watermark) throws Exception {
    if (watermark < Long.MIN_VALUE + expiryMillis) {
      return 0; // no watermark yet
    }
    List<Long> idle = new ArrayList<>();
    for (Map.Entry<Long, Long> entry : lastSeen.entries()) {
      if (entry.getValue() < watermark - expiryMillis) {
        idle.add(entry.getKey());
      }
    }
    for (Long id : idle) {
      lastSeen.remove(id);
    }
    return idle.size();
  }

  /**
   * A 64-bit FNV-1a hash of everything that makes a series within a service: name, kind, status, region,
   * dimensions, each string preceded by its length so that no two label lists hash the same text. Part of
   * the state, so it must not depend on the JVM.
   */
  static long fingerprint(WindowCounts counts) {
    SeriesKey series = counts.series();
    long hash = mix(mix(mix(FNV_OFFSET, counts.spanName()), series.spanKind()), series.statusCode());
    hash = mix(hash, series.region());
    for (String value : series.dimensions()) {
      hash = mix(hash, value);
    }
    return hash;
  }

  private static long mix(long hash, String value) {
    hash = mix(hash, value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      hash = (hash ^ (c & 0xff)) * FNV_PRIME;
      hash = (hash ^ (c >>> 8)) * FNV_PRIME;
    }
    return hash;
  }

  private static long mix(long hash, int value) {
    for (int shift = 0; shift < 32; shift += 8) {
      hash = (hash ^ ((value >>> shift) & 0xff)) * FNV_PRIME;
    }
    return hash;
  }
}
