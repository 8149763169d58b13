package io.tracemetrics.sink;

/**
 * What the sink does with data that cannot be delivered: refused by the receiver ({@code onRejected}) or
 * still failing after the retries ({@code onRetriesExhausted}). Misconfiguration answers (401, 403, 404,
 * 3xx...) are not governed by it: they always fail the writer.
 */
public enum FailurePolicy {
  /**
   * Drop it, count it in {@code samplesDropped} by reason, log it (rate-limited), and go on. For refused
   * data only the refused series are dropped: the batch is split to find them.
   */
  DROP,
  /** Fail the Flink task; it restarts from the last checkpoint and the batch is written again. */
  FAIL
}
