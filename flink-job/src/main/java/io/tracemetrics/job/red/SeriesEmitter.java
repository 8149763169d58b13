package io.tracemetrics.job.red;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracemetrics.sink.TimeSeries;
import java.io.Serializable;
import org.apache.flink.util.Collector;

/**
 * Writes one series' cumulative counts as Prometheus time series: the calls counter and the latency
 * histogram ({@code _bucket} per bound with cumulative counts, {@code _sum} in milliseconds,
 * {@code _count}), all stamped with the window's end.
 */
final class SeriesEmitter implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String SERVICE_NAME = "service_name";
  static final String SPAN_NAME = "span_name";
  static final String SPAN_KIND = "span_kind";
  static final String STATUS_CODE = "status_code";
  static final String REGION = "region";
  static final String LE = "le";

  private final MetricNames names;
  private final LatencyBuckets buckets;

  SeriesEmitter(MetricNames names, LatencyBuckets buckets) {
    this.names = names;
    this.buckets = buckets;
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

  private static TimeSeries.Builder labelled(String metric, ServiceSpan key, SeriesKey series) {
    TimeSeries.Builder builder =
        TimeSeries.builder(metric)
            .label(SERVICE_NAME, key.service())
            .label(SPAN_NAME, key.spanName())
            .label(SPAN_KIND, spanKindName(series.spanKind()))
            .label(STATUS_CODE, statusCodeName(series.statusCode()));
    if (!series.region().isEmpty()) {
      builder.label(REGION, series.region());
    }
    return builder;
  }

  static String spanKindName(int kind) {
    Span.SpanKind known = Span.SpanKind.forNumber(kind);
    return known != null ? known.name() : "SPAN_KIND_UNSPECIFIED";
  }

  static String statusCodeName(int code) {
    Status.StatusCode known = Status.StatusCode.forNumber(code);
    return known != null ? known.name() : "STATUS_CODE_UNSET";
  }
}
