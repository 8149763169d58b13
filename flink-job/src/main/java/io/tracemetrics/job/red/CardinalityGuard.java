package io.tracemetrics.job.red;

import io.tracemetrics.job.otlp.SpanEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Bounds the series of one service, keyed by service name: a span of a series the service already has
 * passes; a span of a new series passes while the service has fewer than {@code maxSeries}; otherwise it
 * is counted in the service's one overflow series ({@code otel_metric_overflow="true"}), so totals stay
 * exact while memory and the store's cardinality stay bounded. Series idle longer than the expiry (event
 * time) give their place up when room is needed.
 */
public final class CardinalityGuard extends KeyedProcessFunction<String, SpanEvent, SpanEvent> {
  private static final long serialVersionUID = 1L;

  private final int maxSeries;
  private final long expiryMillis;
  /** Series id → end time of its newest span. */
  private transient MapState<String, Long> lastSeen;
  private transient ValueState<Integer> seriesCount;
  private transient Counter spansOverflowed;

  public CardinalityGuard(int maxSeries, Duration expiry) {
    if (maxSeries < 1) {
      throw new IllegalArgumentException("the series limit must be at least 1: " + maxSeries);
    }
    this.maxSeries = maxSeries;
    this.expiryMillis = expiry.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    lastSeen = getRuntimeContext().getMapState(new MapStateDescriptor<>("lastSeen", Types.STRING, Types.LONG));
    seriesCount = getRuntimeContext().getState(new ValueStateDescriptor<>("seriesCount", Types.INT));
    spansOverflowed = getRuntimeContext().getMetricGroup().addGroup("red").counter("spansOverflowed");
  }

  @Override
  public void processElement(SpanEvent span, Context ctx, Collector<SpanEvent> out) throws Exception {
    String id = seriesId(span);
    Long seen = lastSeen.get(id);
    if (seen != null) {
      if (span.endTimeMillis() > seen) {
        lastSeen.put(id, span.endTimeMillis());
      }
      out.collect(span);
      return;
    }
    int count = seriesCount.value() == null ? 0 : seriesCount.value();
    if (count >= maxSeries) {
      count -= evictIdle(ctx.timerService().currentWatermark());
    }
    if (count < maxSeries) {
      lastSeen.put(id, span.endTimeMillis());
      seriesCount.update(count + 1);
      out.collect(span);
    } else {
      seriesCount.update(count);
      spansOverflowed.inc();
      out.collect(span.asOverflow());
    }
  }

  private int evictIdle(long watermark) throws Exception {
    if (watermark < Long.MIN_VALUE + expiryMillis) {
      return 0; // no watermark yet
    }
    List<String> idle = new ArrayList<>();
    for (Map.Entry<String, Long> entry : lastSeen.entries()) {
      if (entry.getValue() < watermark - expiryMillis) {
        idle.add(entry.getKey());
      }
    }
    for (String id : idle) {
      lastSeen.remove(id);
    }
    return idle.size();
  }

  /** Everything that makes a series within a service, as one string: name, kind, status, region, dims. */
  static String seriesId(SpanEvent span) {
    StringBuilder id = new StringBuilder(span.spanName().length() + 16)
        .append(span.spanName()).append('\u0000')
        .append(span.spanKind()).append('\u0000')
        .append(span.statusCode()).append('\u0000')
        .append(span.region());
    for (String value : span.dimensions()) {
      id.append('\u0000').append(value);
    }
    return id.toString();
  }
}
