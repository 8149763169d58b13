package io.tracemetrics.bench.compare.load;

/**
 * One series as the stacks under test key it, with the enum names the OTLP protobuf uses.
 *
 * @param kind {@code "SPAN_KIND_SERVER"} or {@code "SPAN_KIND_CLIENT"}
 * @param status {@code "STATUS_CODE_UNSET"} or {@code "STATUS_CODE_ERROR"}
 */
public record SeriesKey(String service, String spanName, String kind, String status) {}
