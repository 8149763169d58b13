package io.tracemetrics.gateway.ingest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the decoded request bytes the gateway holds while waiting for Kafka. Beyond the limit new
 * requests are refused with a retryable answer instead of growing the heap until it fails.
 */
public final class InFlightLimiter {
  private final long limitBytes;
  private final AtomicLong inFlight = new AtomicLong();

  /** @param limitBytes the bound; 0 or less disables the limit (bytes are still tracked). */
  public InFlightLimiter(long limitBytes) {
    this.limitBytes = limitBytes;
  }

  /**
   * Reserves {@code bytes}; false when that would exceed the limit. A single request larger than the
   * whole limit is still admitted when nothing else is in flight, so it cannot be refused forever.
   */
  public boolean tryAcquire(long bytes) {
    while (true) {
      long current = inFlight.get();
      long next = current + bytes;
      if (limitBytes > 0 && next > limitBytes && current > 0) {
        return false;
      }
      if (inFlight.compareAndSet(current, next)) {
        return true;
      }
    }
  }

  public void release(long bytes) {
    inFlight.addAndGet(-bytes);
  }

  public long inFlightBytes() {
    return inFlight.get();
  }
}
