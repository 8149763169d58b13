package io.tracemetrics.job.otlp;

import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The part of one OTLP span that RED metrics need. Flink handles it with {@link SpanEventSerializer}: it is
 * immutable, so passing it from the source to the chained pre-aggregator copies nothing.
 *
 * @param serviceName the resource's {@code service.name}, or {@value TracesDecoder#UNKNOWN_SERVICE}
 * @param spanName the span's name
 * @param spanKind the OTLP {@code SpanKind} number, or {@link #EXCLUDED} when the label is excluded
 * @param statusCode the OTLP {@code Status.StatusCode} number, or {@link #EXCLUDED}
 * @param endTimeMillis the span's end time: its event time
 * @param durationNanos end minus start, never negative
 * @param region the region label, or the empty string when unknown
 * @param dimensions the configured dimensions' values, in their order; empty string when absent
 */
@TypeInfo(SpanEventSerializer.Factory.class)
public record SpanEvent(
    String serviceName,
    String spanName,
    int spanKind,
    int statusCode,
    long endTimeMillis,
    long durationNanos,
    String region,
    String[] dimensions) {

  /** Marks an excluded built-in label. */
  public static final int EXCLUDED = -1;
  /** The dimension values of a span when no dimensions are configured. */
  public static final String[] NO_DIMENSIONS = new String[0];

  /** A span without configured dimensions. */
  public SpanEvent(
      String serviceName, String spanName, int spanKind, int statusCode, long endTimeMillis, long durationNanos,
      String region) {
    this(serviceName, spanName, spanKind, statusCode, endTimeMillis, durationNanos, region, NO_DIMENSIONS);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SpanEvent that
        && spanKind == that.spanKind
        && statusCode == that.statusCode
        && endTimeMillis == that.endTimeMillis
        && durationNanos == that.durationNanos
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
        + Arrays.toString(dimensions) + "]";
  }
}
