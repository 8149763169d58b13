package io.tracemetrics.job.red;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * Histogram bounds in milliseconds and the counts layout of one series.
 *
 * <p>A series' counts are one {@code long[]}: {@code [count, sumNanos, bucket0 … bucketN]}, bucket i
 * holding the spans with {@code bounds[i-1] < ms <= bounds[i]} and the last bucket the ones above every
 * bound (+Inf). Sums are kept in integer nanoseconds so they are exact and do not depend on the order
 * spans are added in: a replay yields the same bits.
 */
public final class LatencyBuckets implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The OpenTelemetry Collector spanmetrics connector's default bounds, in milliseconds. */
  public static final List<Double> DEFAULT_BOUNDS_MS =
      List.of(2d, 4d, 6d, 8d, 10d, 50d, 100d, 200d, 400d, 800d, 1000d, 1400d, 2000d, 5000d, 10000d, 15000d);

  static final int COUNT = 0;
  static final int SUM_NANOS = 1;
  static final int FIRST_BUCKET = 2;

  private final long[] boundsNanos;
  private final String[] leLabels;

  /** @param boundsMs strictly increasing, finite, positive bounds in milliseconds */
  public LatencyBuckets(List<Double> boundsMs) {
    if (boundsMs.isEmpty()) {
      throw new IllegalArgumentException("histogram bounds must not be empty");
    }
    boundsNanos = new long[boundsMs.size()];
    leLabels = new String[boundsMs.size() + 1];
    for (int i = 0; i < boundsMs.size(); i++) {
      double bound = boundsMs.get(i);
      if (!(bound > 0) || Double.isInfinite(bound) || (i > 0 && bound <= boundsMs.get(i - 1))) {
        throw new IllegalArgumentException(
            "histogram bounds must be positive, finite and strictly increasing: " + boundsMs);
      }
      boundsNanos[i] = Math.round(bound * 1_000_000d);
      leLabels[i] = BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
    }
    leLabels[boundsMs.size()] = "+Inf";
  }

  /** The number of buckets, +Inf included. */
  public int bucketCount() {
    return leLabels.length;
  }

  /** The {@code le} label of bucket i: the bound as Prometheus writes it, or {@code +Inf}. */
  public String le(int bucket) {
    return leLabels[bucket];
  }

  /** The bucket a duration falls in: the first whose bound is at or above it. */
  public int bucketOf(long durationNanos) {
    int index = Arrays.binarySearch(boundsNanos, durationNanos);
    return index >= 0 ? index : -index - 1;
  }

  /** New, zero counts for one series. */
  public long[] newCounts() {
    return new long[FIRST_BUCKET + bucketCount()];
  }

  /** Adds one span to counts. */
  public void add(long[] counts, long durationNanos) {
    counts[COUNT]++;
    counts[SUM_NANOS] += durationNanos;
    counts[FIRST_BUCKET + bucketOf(durationNanos)]++;
  }

  /** Adds every count of {@code delta} to the same places of {@code into}, which may be longer. */
  public static void merge(long[] into, long[] delta) {
    for (int i = 0; i < delta.length; i++) {
      into[i] += delta[i];
    }
  }
}
