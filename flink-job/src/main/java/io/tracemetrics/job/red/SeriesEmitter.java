package io.tracemetrics.job.red;

import io.tracemetrics.job.otlp.Dimensions;
import io.tracemetrics.job.otlp.SpanEvent;
import io.tracemetrics.sink.TimeSeries;
import java.io.Serializable;
import org.apache.flink.util.Collector;

/**
 * Writes one series' cumulative counts as Prometheus time series: the calls counter and the latency
 * histogram ({@code _bucket} per bound with cumulative counts, {@code _sum} in milliseconds,
 * {@code _count}), all stamped with the window's end; and the two bounds of a series' life, where every one
 * of those samples has the same value: {@link #emitZeros zeros} before its first value, {@link #emitStale
 * stale markers} after its last.
 */
final class SeriesEmitter implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String SERVICE_NAME = "service_name";
  static final String SPAN_NAME = "span_name";
  static final String SPAN_KIND = "span_kind";
  static final String STATUS_CODE = "status_code";
  static final String REGION = "region";
  static final String LE = "le";
  static final String OVERFLOW = "otel_metric_overflow";
  static final String JOB = "job";
  static final String OTEL_SCOPE_NAME = "otel_scope_name";

  /**
   * Prometheus' staleness marker: a NaN with this exact payload ends a series for instant queries at once
   * (instead of 5 minutes of look-back) and is skipped by range functions such as {@code increase()}.
   */
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  private final MetricNames names;
  private final LatencyBuckets buckets;
  private final Dimensions dimensions;

  SeriesEmitter(MetricNames names, LatencyBuckets buckets, Dimensions dimensions) {
    this.names = names;
    this.buckets = buckets;
    this.dimensions = dimensions;
  }

  void emit(ServiceSpan key, SeriesKey series, long[] counts, long timestamp, Collector<TimeSeries> out) {
    long count = counts[LatencyBuckets.COUNT];
    out.collect(labelled(names.calls, key, series).sample(count, timestamp).build());
    long cumulative = 0;
    for (int i = 0; i < buckets.bucketCount(); i++) {
      cumulative += counts[LatencyBuckets.FIRST_BUCKET + i];
      out.collect(
          labelled(names.bucket, key, series).label(LE, buckets.le(i)).sample(cumulative, timestamp).build());
    }
    double sumMillis = counts[LatencyBuckets.SUM_NANOS] / 1_000_000d;
    out.collect(labelled(names.sum, key, series).sample(sumMillis, timestamp).build());
    out.collect(labelled(names.count, key, series).sample(count, timestamp).build());
  }

  /**
   * Every sample of the series at 0. Written one window before a series' first value, so that
   * {@code increase()} and {@code rate()} count its first spans (without an earlier sample they have no
   * base) and a series that comes back after expiry shows a restart (a drop to 0) even when its new value
   * is not below its old one.
   */
  void emitZeros(ServiceSpan key, SeriesKey series, long timestamp, Collector<TimeSeries> out) {
    emitConstant(key, series, 0d, timestamp, out);
  }

  /** Every sample of the series as a staleness marker: the series has expired. */
  void emitStale(ServiceSpan key, SeriesKey series, long timestamp, Collector<TimeSeries> out) {
    emitConstant(key, series, STALE_NAN, timestamp, out);
  }

  private void emitConstant(ServiceSpan key, SeriesKey series, double value, long timestamp,
      Collector<TimeSeries> out) {
    out.collect(labelled(names.calls, key, series).sample(value, timestamp).build());
    for (int i = 0; i < buckets.bucketCount(); i++) {
      out.collect(labelled(names.bucket, key, series).label(LE, buckets.le(i)).sample(value, timestamp).build());
    }
    out.collect(labelled(names.sum, key, series).sample(value, timestamp).build());
    out.collect(labelled(names.count, key, series).sample(value, timestamp).build());
  }

  /** Empty values are left out by the builder, as Prometheus treats an empty label as no label. */
  private TimeSeries.Builder labelled(String metric, ServiceSpan key, SeriesKey series) {
    TimeSeries.Builder builder =
        TimeSeries.builder(metric).label(SERVICE_NAME, key.service()).label(SPAN_NAME, key.spanName());
    if (series.spanKind() != SpanEvent.EXCLUDED) {
      builder.label(SPAN_KIND, LabelValues.spanKindName(series.spanKind()));
    }
    if (series.statusCode() != SpanEvent.EXCLUDED) {
      builder.label(STATUS_CODE, LabelValues.statusCodeName(series.statusCode()));
    }
    builder.label(REGION, series.region());
    String[] values = series.dimensions();
    for (int i = 0; i < values.length && i < dimensions.size(); i++) {
      builder.label(dimensions.label(i), values[i]);
    }
    if (series.overflow()) {
      builder.label(OVERFLOW, "true");
    }
    if (names.collectorLabels) {
      builder.label(JOB, key.service()).label(OTEL_SCOPE_NAME, MetricNames.COLLECTOR_SCOPE_NAME);
    }
    return builder;
  }

}
