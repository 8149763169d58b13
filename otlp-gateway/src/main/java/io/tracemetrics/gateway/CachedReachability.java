package io.tracemetrics.gateway;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Caches a reachability probe for a short time, so health checks from several load balancers cost one
 * cluster round trip per interval. Concurrent callers during a refresh wait for it rather than
 * piling up probes.
 */
final class CachedReachability implements BooleanSupplier {
  private final BooleanSupplier probe;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private long checkedAt;
  private boolean checked;
  private volatile boolean lastResult;

  CachedReachability(BooleanSupplier probe, Duration ttl, LongSupplier nanoTime) {
    this.probe = Objects.requireNonNull(probe, "probe");
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  @Override
  public synchronized boolean getAsBoolean() {
    long now = nanoTime.getAsLong();
    if (!checked || now - checkedAt >= ttlNanos) {
      lastResult = probe.getAsBoolean();
      checkedAt = nanoTime.getAsLong();
      checked = true;
    }
    return lastResult;
  }

  /** The last result without probing (for the metrics gauge); true before the first probe. */
  boolean lastKnown() {
    return !checked || lastResult;
  }
}
