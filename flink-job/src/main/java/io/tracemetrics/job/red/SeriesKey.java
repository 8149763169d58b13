package io.tracemetrics.job.red;

/**
 * What tells two series of one (service, span name) key apart. Part of the keyed state: a record, which
 * Flink serializes as a POJO.
 *
 * @param spanKind OTLP {@code SpanKind} number
 * @param statusCode OTLP {@code Status.StatusCode} number
 * @param region the region label, empty when unknown
 */
public record SeriesKey(int spanKind, int statusCode, String region) {}
