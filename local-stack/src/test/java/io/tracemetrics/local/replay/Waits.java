package io.tracemetrics.local.replay;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds, instead of sleeping for a guessed time. */
final class Waits {
  private static final long POLL_MILLIS = 100;

  private Waits() {}

  static void until(Callable<Boolean> condition, Duration timeout, String what) {
    if (!tryUntil(condition, timeout)) {
      throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
    }
  }

  /** True when the condition held before the timeout. */
  static boolean tryUntil(Callable<Boolean> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (condition.call()) {
          return true;
        }
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
