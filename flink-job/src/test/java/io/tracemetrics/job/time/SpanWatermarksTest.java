package io.tracemetrics.job.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.otlp.SpanEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

class SpanWatermarksTest {
  private long now = 1_000_000;
  /** Wall-clock time the source spent backpressured: the input activity clock does not see it. */
  private long backpressured;
  private final RecordingOutput output = new RecordingOutput();
  private final SpanWatermarks.RecordTime recordTime = new SpanWatermarks.RecordTime();
  private final SpanWatermarks watermarks = new SpanWatermarks(
      Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMinutes(1), () -> now, new RelativeClock() {
        @Override
        public long relativeTimeMillis() {
          return now - backpressured;
        }

        @Override
        public long relativeTimeNanos() {
          return relativeTimeMillis() * 1_000_000;
        }
      }, recordTime);

  private void span(long endMillis) {
    watermarks.onEvent(new SpanEvent("s", "n", 2, 0, endMillis, 1, ""), endMillis, output);
  }

  @Test
  void trailsTheNewestSpanByTheOutOfOrderness() {
    span(now - 100);
    span(now - 5000);
    watermarks.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(now - 100 - 2000 - 1);
  }

  @Test
  void followsTheWallClockFromTheLastSpanOnceIdle() {
    long end = now;
    span(end);
    now += 4_999;
    watermarks.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(end - 2001);
    now += 1;
    watermarks.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(end + 5_000 - 2001);
    now += 10_000;
    watermarks.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(end + 15_000 - 2001);
  }

  @Test
  void aBackpressuredSourceIsNotIdleHoweverLongItWaits() {
    long end = now - 600_000; // a backlog ten minutes old
    span(end);
    now += 60_000;
    backpressured += 60_000;
    watermarks.onPeriodicEmit(output);
    assertThat(output.last()).as("still the backlog's time, not the wall clock").isEqualTo(end - 2001);
    now += 5_000;
    watermarks.onPeriodicEmit(output);
    assertThat(output.last()).as("idle once it could read and had nothing").isEqualTo(now - 2001);
  }

  @Test
  void onceIdleTheLastSpansTransportDelayDoesNotStayAsALag() {
    span(now - 4_000); // read four seconds after it ended
    now += 5_000;
    watermarks.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(now - 2001);
  }

  @Test
  void onceIdleASpanFromAClockAheadKeepsItsEventClockRunning() {
    span(now + 30_000);
    now += 5_000;
    watermarks.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(now + 30_000 - 2001);
  }

  @Test
  void aClientClockFarAheadCannotDragTheWatermarkIntoTheFuture() {
    span(now + Duration.ofDays(1).toMillis());
    watermarks.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(now + 60_000 - 2001);
  }

  @Test
  void neverGoesBackwards() {
    span(now);
    watermarks.onPeriodicEmit(output);
    span(now - 50_000);
    watermarks.onPeriodicEmit(output);
    assertThat(output.emitted).containsExactly(now - 2001);
  }

  /** A span read now from a record Kafka has held since {@code appendedMillis}. */
  private void spanAppendedAt(long endMillis, long appendedMillis) {
    recordTime.appendedMillis = appendedMillis;
    span(endMillis);
  }

  @Test
  void aPartitionBehindThatPausesIsStallingNotIdleForTenTimesTheIdleTime() {
    long end = now - 600_000;
    spanAppendedAt(end, now - 600_000); // a backlog: in Kafka for ten minutes when read
    now += 49_999;
    watermarks.onPeriodicEmit(output);
    assertThat(output.last()).as("a fetch stall: the backlog's time still").isEqualTo(end - 2001);
    now += 1;
    watermarks.onPeriodicEmit(output);
    assertThat(output.last()).as("after 10 x 5 s: idle after all").isEqualTo(now - 2001);
  }

  @Test
  void aPartitionThatCaughtUpIsIdleAfterTheIdleTimeWhateverItsSpansAges() {
    long end = now - 600_000; // a span that ended long ago, but was written to Kafka just now
    spanAppendedAt(end, now - 100);
    now += 5_000;
    watermarks.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(now - 2001);
  }

  @Test
  void aSourceThatSawNothingForTheIdleTimeIsIdleSoItHoldsNoOneBack() {
    now += 4_999;
    watermarks.onPeriodicEmit(output);
    assertThat(output.idle).as("its first fetch may still be on the way").isFalse();
    now += 1;
    watermarks.onPeriodicEmit(output);
    assertThat(output.idle).isTrue();
    assertThat(output.emitted).isEmpty();
  }

  private static final class RecordingOutput implements WatermarkOutput {
    final List<Long> emitted = new ArrayList<>();
    boolean idle;

    @Override
    public void emitWatermark(Watermark watermark) {
      emitted.add(watermark.getTimestamp());
      idle = false;
    }

    @Override
    public void markIdle() {
      idle = true;
    }

    @Override
    public void markActive() {
      idle = false;
    }

    long last() {
      return emitted.get(emitted.size() - 1);
    }
  }
}
