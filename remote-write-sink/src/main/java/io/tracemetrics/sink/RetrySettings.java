package io.tracemetrics.sink;

import java.io.Serializable;
import java.time.Duration;

/** How one endpoint retries and what it does with a batch it cannot deliver; immutable. */
final class RetrySettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryTime;
  private final FailurePolicy onRejected;
  private final FailurePolicy onRetriesExhausted;
  private final int maxSplitRequests;

  RetrySettings(Duration initialBackoff, Duration maxBackoff, Duration maxRetryTime,
      FailurePolicy onRejected, FailurePolicy onRetriesExhausted, int maxSplitRequests) {
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxRetryTime = maxRetryTime;
    this.onRejected = onRejected;
    this.onRetriesExhausted = onRetriesExhausted;
    this.maxSplitRequests = maxSplitRequests;
  }

  Duration initialBackoff() {
    return initialBackoff;
  }

  Duration maxBackoff() {
    return maxBackoff;
  }

  Duration maxRetryTime() {
    return maxRetryTime;
  }

  FailurePolicy onRejected() {
    return onRejected;
  }

  FailurePolicy onRetriesExhausted() {
    return onRetriesExhausted;
  }

  /** Requests beyond the first to isolate the refused series of a rejected batch. */
  int maxSplitRequests() {
    return maxSplitRequests;
  }

  @Override
  public String toString() {
    return "backoff " + initialBackoff + ".." + maxBackoff + ", maxRetryTime " + maxRetryTime
        + ", onRejected " + onRejected + ", onRetriesExhausted " + onRetriesExhausted
        + ", maxSplitRequests " + maxSplitRequests;
  }
}
