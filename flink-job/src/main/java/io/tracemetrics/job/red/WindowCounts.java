package io.tracemetrics.job.red;

import io.tracemetrics.job.otlp.SpanEvent;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The counts of one series' spans that ended in one window, as {@link SpanPreAggregator} summed them
 * between two watermarks: what crosses the network instead of the spans. Never changed once emitted.
 *
 * @param service the service name
 * @param spanName the span name
 * @param series what tells the series apart within the (service, span name) key
 * @param windowEnd the end, exclusive, of the window the spans ended in, in event-time milliseconds
 * @param counts the {@link LatencyBuckets} layout: count, sum of durations in nanoseconds, buckets
 */
@TypeInfo(WindowCountsSerializer.Factory.class)
public record WindowCounts(String service, String spanName, SeriesKey series, long windowEnd, long[] counts) {

  /** The end, exclusive, of the window of {@code windowMillis} that a timestamp falls in. */
  public static long windowEnd(long timestampMillis, long windowMillis) {
    return timestampMillis - Math.floorMod(timestampMillis, windowMillis) + windowMillis;
  }

  /** How many spans these counts hold. */
  public long spanCount() {
    return counts[LatencyBuckets.COUNT];
  }

  /** The same counts, moved to the service's overflow series. */
  WindowCounts asOverflow() {
    SeriesKey overflow = new SeriesKey(SpanEvent.EXCLUDED, SpanEvent.EXCLUDED, series.region(),
        SpanEvent.NO_DIMENSIONS, true);
    return new WindowCounts(service, "", overflow, windowEnd, counts);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WindowCounts that
        && windowEnd == that.windowEnd
        && service.equals(that.service)
        && spanName.equals(that.spanName)
        && series.equals(that.series)
        && Arrays.equals(counts, that.counts);
  }

  @Override
  public int hashCode() {
    return (31 * service.hashCode() + spanName.hashCode()) * 31 + series.hashCode();
  }

  @Override
  public String toString() {
    return "WindowCounts[" + service + ", " + spanName + ", " + series + ", windowEnd=" + windowEnd + ", counts="
        + Arrays.toString(counts) + "]";
  }
}
