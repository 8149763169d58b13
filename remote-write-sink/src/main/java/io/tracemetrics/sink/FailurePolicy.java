package io.tracemetrics.sink;

/** What the sink does with a batch that cannot be delivered. */
public enum FailurePolicy {
  /** Drop the batch, count it in {@code samplesDropped}, log it (rate-limited), and go on. */
  DROP,
  /** Fail the Flink task; it restarts from the last checkpoint and the batch is written again. */
  FAIL
}
