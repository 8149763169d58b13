package io.tracemetrics.sink;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of
 * {@code min(max, initial * 2^n)}, so writers that failed together do not retry in lockstep. A server's
 * Retry-After wins when it asks for longer.
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;

  Backoff(Duration initial, Duration max) {
    this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** @param random uniform in [0, 1), replaceable in tests */
  Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** Wait before retry number {@code attempt} (0 for the first retry). */
  Duration delay(int attempt, Duration retryAfter) {
    long ceiling = max.toMillis();
    long exponential = initial.toMillis() << Math.min(attempt, 30);
    long capped = (exponential <= 0 || exponential > ceiling) ? ceiling : exponential;
    long jittered = capped / 2 + (long) (random.getAsDouble() * (capped - capped / 2));
    long wanted = retryAfter == null ? 0 : retryAfter.toMillis();
    return Duration.ofMillis(Math.max(jittered, wanted));
  }
}
