package io.tracemetrics.sink;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Decides whether a repeated event is logged: the first one, then at most one per interval, reporting
 * how many were suppressed in between, so a receiver rejecting everything cannot flood the log.
 */
final class RateLimitedLog {
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private long lastLoggedAt;
  private boolean loggedOnce;
  private long suppressed;

  RateLimitedLog(Duration interval) {
    this(interval, System::nanoTime);
  }

  RateLimitedLog(Duration interval, LongSupplier nanoTime) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /** -1 if this event must not be logged, else how many were suppressed since the last logged one. */
  long tryAcquire() {
    long now = nanoTime.getAsLong();
    if (loggedOnce && now - lastLoggedAt < intervalNanos) {
      suppressed++;
      return -1;
    }
    long skipped = suppressed;
    loggedOnce = true;
    lastLoggedAt = now;
    suppressed = 0;
    return skipped;
  }
}
