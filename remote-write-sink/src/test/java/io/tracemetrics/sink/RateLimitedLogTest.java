package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
  @Test
  void logsFirstThenOncePerIntervalReportingSuppressed() {
    AtomicLong clock = new AtomicLong();
    RateLimitedLog log = new RateLimitedLog(Duration.ofNanos(100), clock::get);

    assertThat(log.tryAcquire()).isZero();
    clock.set(50);
    assertThat(log.tryAcquire()).isEqualTo(-1);
    assertThat(log.tryAcquire()).isEqualTo(-1);
    clock.set(100);
    assertThat(log.tryAcquire()).isEqualTo(2);
    clock.set(150);
    assertThat(log.tryAcquire()).isEqualTo(-1);
    clock.set(500);
    assertThat(log.tryAcquire()).isEqualTo(1);
  }
}
