package io.tracemetrics.job.replay;

/** A span as it was written to Kafka: its plan, its absolute times and when it was sent (epoch millis). */
record SentSpan(SpanPlan plan, long startNanos, long endNanos, long sentMillis) {}
