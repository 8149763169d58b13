package io.tracemetrics.job.otlp;

/**
 * The part of one OTLP span that RED metrics need. A record, which Flink serializes with its POJO
 * serializer (checked by a test), so spans travel between operators without Kryo.
 *
 * @param serviceName the resource's {@code service.name}, or {@value TracesDecoder#UNKNOWN_SERVICE}
 * @param spanName the span's name
 * @param spanKind the OTLP {@code SpanKind} number
 * @param statusCode the OTLP {@code Status.StatusCode} number
 * @param endTimeMillis the span's end time: its event time
 * @param durationNanos end minus start, never negative
 * @param region the region label, or the empty string when unknown
 */
public record SpanEvent(
    String serviceName,
    String spanName,
    int spanKind,
    int statusCode,
    long endTimeMillis,
    long durationNanos,
    String region) {}
