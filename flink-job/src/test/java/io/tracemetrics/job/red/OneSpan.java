package io.tracemetrics.job.red;

import io.tracemetrics.job.otlp.SpanEvent;

/** One span as the window counts the pre-aggregator would emit for it alone (10 s windows, default bounds). */
final class OneSpan {
  static final long WINDOW_MILLIS = 10_000;
  static final LatencyBuckets BUCKETS = new LatencyBuckets(LatencyBuckets.DEFAULT_BOUNDS_MS);

  private OneSpan() {}

  static WindowCounts counts(SpanEvent span) {
    long[] counts = BUCKETS.newCounts();
    BUCKETS.add(counts, span.durationNanos());
    return new WindowCounts(span.serviceName(), span.spanName(), SeriesKey.of(span),
        WindowCounts.windowEnd(span.endTimeMillis(), WINDOW_MILLIS), counts);
  }
}
