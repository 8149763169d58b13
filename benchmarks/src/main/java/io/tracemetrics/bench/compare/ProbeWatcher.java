package io.tracemetrics.bench.compare;

import io.tracemetrics.testsupport.store.PromQuery;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls the store for the probe series' count every {@link #POLL} and keeps when each count was first
 * seen: the n-th accepted probe span is queryable once the count reaches n.
 */
final class ProbeWatcher implements AutoCloseable {
  static final String PROBE_COUNT = "sum(" + StoreCheck.CALLS + "{service_name=\"bench-probe\"})";
  private static final long POLL = 250;

  private final PromQuery store;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
  /** Epoch millis at which count n was first seen, at index n; 0 when not yet. */
  private long[] firstSeen = new long[1024];
  private int highest;

  private ProbeWatcher(PromQuery store) {
    this.store = store;
  }

  static ProbeWatcher start(PromQuery store) {
    ProbeWatcher watcher = new ProbeWatcher(store);
    watcher.poller.scheduleWithFixedDelay(watcher::poll, 0, POLL, TimeUnit.MILLISECONDS);
    return watcher;
  }

  private void poll() {
    OptionalDouble count;
    try {
      count = store.scalar(PROBE_COUNT);
    } catch (RuntimeException e) {
      return; // a slow answer: the next poll sees the count
    }
    long now = System.currentTimeMillis();
    synchronized (this) {
      int value = (int) count.orElse(0);
      if (value >= firstSeen.length) {
        firstSeen = Arrays.copyOf(firstSeen, Math.max(value + 1, firstSeen.length * 2));
      }
      for (int n = highest + 1; n <= value; n++) {
        firstSeen[n] = now;
      }
      highest = Math.max(highest, value);
    }
  }

  /** When count {@code n} was first seen (epoch millis), or -1. */
  synchronized long firstSeen(int n) {
    return n <= highest ? firstSeen[n] : -1;
  }

  /** Waits until the count reaches {@code n}, at most {@code timeout}. */
  void awaitCount(int n, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (firstSeen(n) < 0 && System.nanoTime() < end) {
      Thread.sleep(POLL);
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
