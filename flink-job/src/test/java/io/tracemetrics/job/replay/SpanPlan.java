package io.tracemetrics.job.replay;

/**
 * One span of the corpus before it is sent: its label values as OTLP numbers, its timing class and a
 * pre-drawn value that fixes its end offset, so a seed always produces the same corpus relative to when it
 * is sent.
 */
record SpanPlan(String service, String spanName, int kind, int status, Timing timing, int durationMs, long draw) {}
