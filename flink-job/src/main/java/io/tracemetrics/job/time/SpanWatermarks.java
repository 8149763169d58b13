package io.tracemetrics.job.time;

import io.tracemetrics.job.otlp.SpanEvent;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Event-time watermarks from span end times, with two additions to bounded out-of-orderness.
 *
 * <ul>
 *   <li>When a source has seen nothing for {@code idleAfter}, its event clock follows the wall clock (or
 *       keeps running from its last span, if that span's clock was ahead). So the last window closes when
 *       traffic stops: one span alone is still emitted, {@code window + out-of-orderness} after it at most.
 *       "Seen nothing" is measured on Flink's input activity clock, which stands still while the source
 *       is backpressured: a source busy reading a backlog that the rest of the job cannot take fast enough
 *       is not idle, else the watermark would jump to the wall clock and make the whole backlog late. Nor is
 *       a partition that is behind: when its last record had been in Kafka for more than {@code idleAfter}
 *       before it was read (Kafka's record timestamp), a pause is a fetch stall, not the end of traffic, and
 *       it waits {@value #STALL_FACTOR} times {@code idleAfter} before following the wall clock. A
 *       partition that has seen nothing for {@code idleAfter} since it started is marked idle, so an empty
 *       partition does not hold the job's watermark back, while one whose first fetch is slow after a
 *       restore is waited for.
 *   <li>A span's end time counts for the watermark only up to the wall clock plus {@code maxFutureSkew}:
 *       one client with a clock far ahead cannot drag the watermark into the future and make every other
 *       span late.
 * </ul>
 */
public final class SpanWatermarks implements WatermarkGenerator<SpanEvent> {
  /** The wall clock, replaceable in tests. */
  public interface Clock extends Serializable {
    long millis();
  }

  /** How many times {@code idleAfter} a partition that is behind waits before it counts as idle. */
  static final int STALL_FACTOR = 10;

  /**
   * The Kafka timestamp of the record being read, from the timestamp assigner to the generator of the
   * record's split: both run in the source's task thread, one record after the other, and share this
   * object, one per subtask (each gets its own copy of the strategy).
   */
  static final class RecordTime implements Serializable {
    private static final long serialVersionUID = 1L;
    long appendedMillis = Long.MIN_VALUE;
  }

  private final long outOfOrdernessMillis;
  private final long idleAfterMillis;
  private final long maxFutureSkewMillis;
  private final Clock clock;
  private final RelativeClock activity;
  private final RecordTime recordTime;

  private long maxTimestamp = Long.MIN_VALUE;
  private long lastEventActivity;
  private long lastEmitted = Long.MIN_VALUE;
  /** Whether the last record read had waited in Kafka for more than {@code idleAfter}. */
  private boolean behind;

  /**
   * @param clock the wall clock
   * @param activity time that passes only while the source may emit (not while it is backpressured)
   * @param recordTime where the Kafka timestamp of each record is found when it is read
   */
  SpanWatermarks(Duration outOfOrderness, Duration idleAfter, Duration maxFutureSkew, Clock clock,
      RelativeClock activity, RecordTime recordTime) {
    this.outOfOrdernessMillis = outOfOrderness.toMillis();
    this.idleAfterMillis = idleAfter.toMillis();
    this.maxFutureSkewMillis = maxFutureSkew.toMillis();
    this.clock = clock;
    this.activity = activity;
    this.recordTime = recordTime;
    this.lastEventActivity = activity.relativeTimeMillis();
  }

  /** The strategy for a source: timestamps are span end times. */
  public static WatermarkStrategy<SpanEvent> strategy(
      Duration outOfOrderness, Duration idleAfter, Duration maxFutureSkew) {
    return strategy(outOfOrderness, idleAfter, maxFutureSkew, System::currentTimeMillis);
  }

  static WatermarkStrategy<SpanEvent> strategy(
      Duration outOfOrderness, Duration idleAfter, Duration maxFutureSkew, Clock clock) {
    RecordTime recordTime = new RecordTime();
    WatermarkStrategy<SpanEvent> generator = context ->
        new SpanWatermarks(outOfOrderness, idleAfter, maxFutureSkew, clock, context.getInputActivityClock(), recordTime);
    return generator.withTimestampAssigner((span, kafkaTimestamp) -> {
      recordTime.appendedMillis = kafkaTimestamp;
      return span.endTimeMillis();
    });
  }

  @Override
  public void onEvent(SpanEvent span, long timestamp, WatermarkOutput output) {
    long now = clock.millis();
    maxTimestamp = Math.max(maxTimestamp, Math.min(timestamp, now + maxFutureSkewMillis));
    lastEventActivity = activity.relativeTimeMillis();
    // No Kafka timestamp (another source, a pre-0.10 record): taken as read as soon as it was written.
    behind = recordTime.appendedMillis > 0 && now - recordTime.appendedMillis > idleAfterMillis;
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    long idleFor = activity.relativeTimeMillis() - lastEventActivity;
    if (maxTimestamp == Long.MIN_VALUE) {
      // Nothing seen yet: after a while, step aside so an empty partition does not hold the others back.
      // Following the wall clock here instead would make a backlog read after a restart look late.
      if (idleFor >= idleAfterMillis) {
        output.markIdle();
      }
      return;
    }
    long now = clock.millis();
    if (behind && idleFor < STALL_FACTOR * idleAfterMillis) {
      idleFor = 0; // a fetch stall in a backlog: its records are still to come
    }
    // Once idle, the event clock is at least the wall clock: anchoring it on the last span alone would keep
    // that span's transport delay (client batching, Kafka, a consumer starting) as a lag for good.
    long eventClock = idleFor >= idleAfterMillis ? Math.max(maxTimestamp + idleFor, now) : maxTimestamp;
    long watermark = eventClock - outOfOrdernessMillis - 1;
    if (watermark > lastEmitted) {
      lastEmitted = watermark;
      output.emitWatermark(new Watermark(watermark));
    }
  }
}
