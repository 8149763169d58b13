package io.tracemetrics.gateway.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server's exchanges between request and written answer, and whether it is draining. A handler counts an
 * exchange in with {@link #started} before it looks at {@link #draining}, so {@link #drain} sees every
 * exchange that got past that point.
 */
final class Exchanges {
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean draining;

  void started() {
    active.incrementAndGet();
  }

  void finished() {
    active.decrementAndGet();
  }

  boolean draining() {
    return draining;
  }

  /** Refuses new exchanges from now on and waits up to {@code grace} for the running ones; how many remain. */
  int drain(Duration grace) {
    draining = true;
    long deadline = System.nanoTime() + grace.toNanos();
    while (active.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return active.get();
  }
}
