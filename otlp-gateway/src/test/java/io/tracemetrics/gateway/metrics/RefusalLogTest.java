package io.tracemetrics.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

  @Test
  void logsOncePerIntervalAndReason() {
    AtomicLong now = new AtomicLong(0);
    RefusalLog log = new RefusalLog(1_000, now::get);

    assertThat(log.refused("http", "invalid", "a")).isTrue();
    assertThat(log.refused("http", "invalid", "b")).isFalse();
    assertThat(log.refused("http", "too_large", "c")).isTrue();
    now.set(999);
    assertThat(log.refused("http", "invalid", "d")).isFalse();
    now.set(1_000);
    assertThat(log.refused("http", "invalid", "e")).isTrue();
  }
}
