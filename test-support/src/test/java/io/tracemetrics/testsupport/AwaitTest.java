package io.tracemetrics.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

  @Test
  void returnsAsSoonAsTheConditionHolds() {
    AtomicInteger calls = new AtomicInteger();
    long start = System.nanoTime();
    Await.until(() -> calls.incrementAndGet() >= 3, Duration.ofSeconds(10), Duration.ofMillis(10), "three calls");
    assertThat(calls).hasValue(3);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void givesUpAtTheDeadlineNamingWhatAndTheTimeout() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> Await.until(() -> false, Duration.ofMillis(300), "the impossible"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the impossible")
        .hasMessageContaining("PT0.3S");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void tryUntilHonoursTheDeadline() {
    long start = System.nanoTime();
    assertThat(Await.tryUntil(() -> false, Duration.ofMillis(250))).isFalse();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250)).isLessThan(Duration.ofSeconds(5));
    assertThat(Await.tryUntil(() -> true, Duration.ZERO)).isTrue();
  }

  @Test
  void checksOnceMoreAfterTheDeadline() {
    AtomicInteger calls = new AtomicInteger();
    assertThat(Await.tryUntil(() -> calls.incrementAndGet() > 1, Duration.ZERO, Duration.ofMillis(1))).isFalse();
    assertThat(calls).hasValue(1);
  }

  @Test
  void valueVariantReturnsTheValueAndNamesTheLastOneOnTimeout() {
    AtomicInteger counter = new AtomicInteger();
    assertThat(Await.until(counter::incrementAndGet, n -> n >= 4, Duration.ofSeconds(10), Duration.ofMillis(1),
        "four")).isEqualTo(4);
    assertThatThrownBy(() -> Await.until(() -> "still 7", s -> s.isEmpty(), Duration.ofMillis(200), "an empty string"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("an empty string")
        .hasMessageContaining("PT0.2S")
        .hasMessageContaining("last value: still 7");
  }

  @Test
  void pollReturnsTheLastValueWithoutThrowing() {
    AtomicInteger counter = new AtomicInteger();
    assertThat(Await.poll(counter::incrementAndGet, n -> false, Duration.ofMillis(100), Duration.ZERO))
        .isEqualTo(counter.get()).isPositive();
  }

  @Test
  void anExceptionFromTheConditionEndsTheWaitAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> Await.until(() -> {
      calls.incrementAndGet();
      throw new IOException("boom");
    }, Duration.ofSeconds(10), "never"))
        .isInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("boom");
    assertThat(calls).hasValue(1);
  }
}
