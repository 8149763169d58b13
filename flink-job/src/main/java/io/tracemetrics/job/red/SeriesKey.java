package io.tracemetrics.job.red;

import io.tracemetrics.job.otlp.SpanEvent;
import java.util.Arrays;

/**
 * What tells two series of one (service, span name) key apart. The key of the aggregator's keyed map
 * state: a record, which Flink serializes as a POJO; equality covers the dimension values, not the
 * array's identity.
 *
 * @param spanKind OTLP {@code SpanKind} number, or {@link SpanEvent#EXCLUDED}
 * @param statusCode OTLP {@code Status.StatusCode} number, or {@link SpanEvent#EXCLUDED}
 * @param region the region label, empty when unknown
 * @param dimensions the configured dimensions' values
 * @param overflow the service's overflow series
 */
public record SeriesKey(int spanKind, int statusCode, String region, String[] dimensions, boolean overflow) {

  /** A span's series as it is written: see {@link LabelValues}. */
  static SeriesKey of(SpanEvent span) {
    return new SeriesKey(LabelValues.spanKind(span.spanKind()), LabelValues.statusCode(span.statusCode()),
        LabelValues.bounded(span.region()), bounded(span.dimensions()), false);
  }

  private static String[] bounded(String[] values) {
    String[] out = values;
    for (int i = 0; i < values.length; i++) {
      String value = LabelValues.bounded(values[i]);
      if (value != values[i]) {
        if (out == values) {
          out = values.clone();
        }
        out[i] = value;
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SeriesKey that
        && spanKind == that.spanKind
        && statusCode == that.statusCode
        && overflow == that.overflow
        && region.equals(that.region)
        && Arrays.equals(dimensions, that.dimensions);
  }

  @Override
  public int hashCode() {
    return ((31 * spanKind + statusCode) * 31 + region.hashCode()) * 31 + Arrays.hashCode(dimensions);
  }

  @Override
  public String toString() {
    return "SeriesKey[kind=" + spanKind + ", status=" + statusCode + ", region=" + region + ", dims="
        + Arrays.toString(dimensions) + (overflow ? ", overflow" : "") + "]";
  }
}
