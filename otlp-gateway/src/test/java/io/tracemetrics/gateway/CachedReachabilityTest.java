package io.tracemetrics.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedReachabilityTest {

  @Test
  void probesAtMostOncePerTtl() {
    AtomicLong now = new AtomicLong(0);
    AtomicInteger probes = new AtomicInteger();
    AtomicBoolean up = new AtomicBoolean(true);
    CachedReachability cached = new CachedReachability(() -> {
      probes.incrementAndGet();
      return up.get();
    }, Duration.ofNanos(100), now::get);

    assertThat(cached.getAsBoolean()).isTrue();
    up.set(false);
    now.set(99);
    assertThat(cached.getAsBoolean()).isTrue();
    now.set(100);
    assertThat(cached.getAsBoolean()).isFalse();
    assertThat(probes).hasValue(2);
    assertThat(cached.lastKnown()).isFalse();
  }
}
