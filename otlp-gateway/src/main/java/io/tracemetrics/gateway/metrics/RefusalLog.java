package io.tracemetrics.gateway.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refused requests at most once per interval and reason, with the number suppressed since: a client
 * hammering a bad payload must not flood the log, yet nothing is refused without a trace in it.
 */
public final class RefusalLog {
  private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  RefusalLog(long intervalNanos, LongSupplier nanoTime) {
    this.intervalNanos = intervalNanos;
    this.nanoTime = nanoTime;
  }

  /** A log that writes at most once per 10 seconds per protocol and reason. */
  public static RefusalLog everyTenSeconds() {
    return new RefusalLog(10_000_000_000L, System::nanoTime);
  }

  /** Records a refusal; returns true when it was written to the log now. */
  public boolean refused(String protocol, String reason, String detail) {
    Window window = windows.computeIfAbsent(protocol + '/' + reason, k -> new Window());
    long now = nanoTime.getAsLong();
    synchronized (window) {
      if (window.lastLogged != Long.MIN_VALUE && now - window.lastLogged < intervalNanos) {
        window.suppressed.incrementAndGet();
        return false;
      }
      long suppressed = window.suppressed.getAndSet(0);
      window.lastLogged = now;
      LOG.warn("refused {} request ({}): {}{}", protocol, reason, detail,
          suppressed == 0 ? "" : " [" + suppressed + " similar refusals not logged]");
      return true;
    }
  }

  private static final class Window {
    long lastLogged = Long.MIN_VALUE;
    final AtomicLong suppressed = new AtomicLong();
  }
}
