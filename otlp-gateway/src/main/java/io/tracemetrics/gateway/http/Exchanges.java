package io.tracemetrics.gateway.http;

import java.util.concurrent.atomic.AtomicInteger;

/** The server's exchanges between request and written answer, and whether it is draining. */
final class Exchanges {
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean draining;

  void started() {
    active.incrementAndGet();
  }

  void finished() {
    active.decrementAndGet();
  }

  int active() {
    return active.get();
  }

  boolean draining() {
    return draining;
  }

  void drain() {
    draining = true;
  }
}
