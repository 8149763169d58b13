package io.tracemetrics.job.otlp;

import java.util.Arrays;

/**
 * The part of one OTLP span that RED metrics need. A record, which Flink serializes with its POJO
 * serializer (checked by a test), so spans travel between operators without Kryo.
 *
 * @param serviceName the resource's {@code service.name}, or {@value TracesDecoder#UNKNOWN_SERVICE}
 * @param spanName the span's name
 * @param spanKind the OTLP {@code SpanKind} number, or {@link #EXCLUDED} when the label is excluded
 * @param statusCode the OTLP {@code Status.StatusCode} number, or {@link #EXCLUDED}
 * @param endTimeMillis the span's end time: its event time
 * @param durationNanos end minus start, never negative
 * @param region the region label, or the empty string when unknown
 * @param dimensions the configured dimensions' values, in their order; empty string when absent
 * @param overflow true when the span's service had no room for a new series: it counts in the service's
 *     overflow series
 */
public record SpanEvent(
    String serviceName,
    String spanName,
    int spanKind,
    int statusCode,
    long endTimeMillis,
    long durationNanos,
    String region,
    String[] dimensions,
    boolean overflow) {

  /** Marks an excluded built-in label. */
  public static final int EXCLUDED = -1;
  private static final String[] NONE = new String[0];

  /** A span without configured dimensions. */
  public SpanEvent(
      String serviceName, String spanName, int spanKind, int statusCode, long endTimeMillis, long durationNanos,
      String region) {
    this(serviceName, spanName, spanKind, statusCode, endTimeMillis, durationNanos, region, NONE, false);
  }

  /** The same span, moved to its service's overflow series. */
  public SpanEvent asOverflow() {
    return new SpanEvent(serviceName, "", EXCLUDED, EXCLUDED, endTimeMillis, durationNanos, region, NONE, true);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SpanEvent that
        && spanKind == that.spanKind
        && statusCode == that.statusCode
        && endTimeMillis == that.endTimeMillis
        && durationNanos == that.durationNanos
        && overflow == that.overflow
        && serviceName.equals(that.serviceName)
        && spanName.equals(that.spanName)
        && region.equals(that.region)
        && Arrays.equals(dimensions, that.dimensions);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * serviceName.hashCode() + spanName.hashCode()) + Arrays.hashCode(dimensions);
  }

  @Override
  public String toString() {
    return "SpanEvent[" + serviceName + ", " + spanName + ", kind=" + spanKind + ", status=" + statusCode
        + ", end=" + endTimeMillis + ", ns=" + durationNanos + ", region=" + region + ", dims="
        + Arrays.toString(dimensions) + (overflow ? ", overflow" : "") + "]";
  }
}
