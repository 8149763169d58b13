package io.tracemetrics.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightLimiterTest {

  @Test
  void admitsUpToTheLimitAndAgainAfterRelease() {
    InFlightLimiter limiter = new InFlightLimiter(100);

    assertThat(limiter.tryAcquire(60)).isTrue();
    assertThat(limiter.tryAcquire(40)).isTrue();
    assertThat(limiter.tryAcquire(1)).isFalse();
    limiter.release(40);
    assertThat(limiter.tryAcquire(30)).isTrue();
    assertThat(limiter.inFlightBytes()).isEqualTo(90);
  }

  @Test
  void oversizedRequestPassesWhenNothingElseIsInFlight() {
    InFlightLimiter limiter = new InFlightLimiter(100);

    assertThat(limiter.tryAcquire(500)).isTrue();
    assertThat(limiter.tryAcquire(1)).isFalse();
  }

  @Test
  void zeroLimitOnlyCounts() {
    InFlightLimiter limiter = new InFlightLimiter(0);

    assertThat(limiter.tryAcquire(Long.MAX_VALUE / 4)).isTrue();
    assertThat(limiter.tryAcquire(Long.MAX_VALUE / 4)).isTrue();
  }
}
