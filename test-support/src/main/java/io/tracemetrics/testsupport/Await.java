package io.tracemetrics.testsupport;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Polls a condition until it holds or a deadline passes, instead of sleeping for a guessed time. The one
 * deadline-poll loop of the launchers and the tests.
 *
 * <p>The condition is checked at once, then every {@link #DEFAULT_POLL} (or the given interval) until it holds;
 * it is checked at least once after the deadline has passed before giving up. An exception thrown by the
 * condition ends the wait at once (checked ones wrapped in an {@link IllegalStateException}); a call site that
 * treats a failure as "not yet" catches it in its condition.
 */
public final class Await {
  /** The interval between two checks unless a call site asks for another one. */
  public static final Duration DEFAULT_POLL = Duration.ofMillis(100);

  private Await() {}

  /**
   * Waits until {@code condition} holds.
   *
   * @throws AssertionError naming {@code what} and {@code timeout} when the timeout passes first
   */
  public static void until(Callable<Boolean> condition, Duration timeout, String what) {
    until(condition, timeout, DEFAULT_POLL, what);
  }

  /** {@link #until(Callable, Duration, String)}, checking every {@code pollEvery}. */
  public static void until(Callable<Boolean> condition, Duration timeout, Duration pollEvery, String what) {
    requireNonNull(what, "what");
    if (!tryUntil(condition, timeout, pollEvery)) {
      throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }
  }

  /** True when {@code condition} held before {@code timeout} passed, false otherwise. */
  public static boolean tryUntil(Callable<Boolean> condition, Duration timeout) {
    return tryUntil(condition, timeout, DEFAULT_POLL);
  }

  /** {@link #tryUntil(Callable, Duration)}, checking every {@code pollEvery}. */
  public static boolean tryUntil(Callable<Boolean> condition, Duration timeout, Duration pollEvery) {
    requireNonNull(condition, "condition");
    return Boolean.TRUE.equals(poll(condition, Boolean.TRUE::equals, timeout, pollEvery));
  }

  /**
   * Calls {@code supplier} until {@code done} accepts its value and returns that value.
   *
   * @throws AssertionError naming {@code what}, {@code timeout} and the last value when the timeout passes
   *     first
   */
  public static <T> T until(Callable<T> supplier, Predicate<? super T> done, Duration timeout, String what) {
    return until(supplier, done, timeout, DEFAULT_POLL, what);
  }

  /** {@link #until(Callable, Predicate, Duration, String)}, checking every {@code pollEvery}. */
  public static <T> T until(Callable<T> supplier, Predicate<? super T> done, Duration timeout, Duration pollEvery,
      String what) {
    requireNonNull(what, "what");
    T last = poll(supplier, done, timeout, pollEvery);
    if (!done.test(last)) {
      throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last value: " + last);
    }
    return last;
  }

  /**
   * Calls {@code supplier} until {@code done} accepts its value or {@code timeout} passes, and returns the last
   * value either way: for call sites that assert on what they got (partial results make better messages).
   */
  public static <T> T poll(Callable<T> supplier, Predicate<? super T> done, Duration timeout, Duration pollEvery) {
    requireNonNull(supplier, "supplier");
    requireNonNull(done, "done");
    long pauseMillis = requireNonNull(pollEvery, "pollEvery").toMillis();
    long deadline = System.nanoTime() + requireNonNull(timeout, "timeout").toNanos();
    while (true) {
      T value = call(supplier);
      if (done.test(value) || System.nanoTime() - deadline > 0) {
        return value;
      }
      if (pauseMillis > 0) {
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while polling", e);
        }
      }
    }
  }

  private static <T> T call(Callable<T> supplier) {
    try {
      return supplier.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while polling", e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
