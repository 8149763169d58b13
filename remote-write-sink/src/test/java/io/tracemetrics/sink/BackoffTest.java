package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  @ParameterizedTest(name = "attempt {0}, random {1}, retryAfter {2} ms -> {3} ms")
  @CsvSource({
      // attempt, random, retryAfterMs (-1 none), expected
      "0,  0.0,   -1,    50",
      "0,  0.999, -1,    99",
      "1,  0.0,   -1,   100",
      "3,  0.5,   -1,   600",
      "6,  0.0,   -1,  2500",  // 6400 capped at 5000, half of it
      "6,  1.0,   -1,  5000",
      "40, 0.0,   -1,  2500",  // no overflow for large attempts
      "0,  0.0,  3000, 3000",  // Retry-After above backoff wins
      "6,  1.0,    10, 5000",  // Retry-After below backoff does not shorten it
      "0,  0.0, 60000, 60000", // Retry-After may exceed the max backoff
  })
  void delayIsExponentialCappedJitteredAndHonoursRetryAfter(int attempt, double random,
      long retryAfterMs, long expectedMs) {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> random);

    Duration retryAfter = retryAfterMs < 0 ? null : Duration.ofMillis(retryAfterMs);

    assertThat(backoff.delay(attempt, retryAfter)).isEqualTo(Duration.ofMillis(expectedMs));
  }
}
