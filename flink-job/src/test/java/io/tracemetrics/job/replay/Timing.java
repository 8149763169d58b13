package io.tracemetrics.job.replay;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Where a span's end time lies relative to the moment it is sent, and whether the job must accept it by its
 * documented rules (end not before start, not before 2000, not more than a day ahead of the job's clock).
 * Future offsets are relative to the harness's future-skew cap ({@link Scenario#MAX_FUTURE_SKEW_MS}).
 */
enum Timing {
  ON_TIME(true),
  SECONDS_LATE(true),
  HOURS_LATE(true),
  DAYS_OLD(true),
  YEARS_OLD(true),
  FUTURE_WITHIN_CAP(true),
  FUTURE_BEYOND_CAP(true),
  END_BEFORE_START(false),
  BEFORE_2000(false),
  DAYS_AHEAD(false);

  private static final long HOUR = TimeUnit.HOURS.toMillis(1);
  private static final long DAY = TimeUnit.DAYS.toMillis(1);
  /** 1999-06-01T00:00:00Z: before the year 2000 the job rejects. */
  private static final long IN_1999 = 928_195_200_000L;

  final boolean accepted;

  Timing(boolean accepted) {
    this.accepted = accepted;
  }

  /** The span's end time in epoch millis when it is sent at {@code nowMillis}. */
  long endMillis(long nowMillis, Random random) {
    return switch (this) {
      case ON_TIME, END_BEFORE_START -> nowMillis - random.nextInt(100);
      case SECONDS_LATE -> nowMillis - 2_000 - random.nextInt(28_000);
      case HOURS_LATE -> nowMillis - HOUR - (long) (random.nextDouble() * 5 * HOUR);
      case DAYS_OLD -> nowMillis - DAY - (long) (random.nextDouble() * 30 * DAY);
      case YEARS_OLD -> nowMillis - 365 * DAY - (long) (random.nextDouble() * 4 * 365 * DAY);
      case FUTURE_WITHIN_CAP -> nowMillis + 500 + random.nextInt((int) Scenario.MAX_FUTURE_SKEW_MS - 1_000);
      case FUTURE_BEYOND_CAP -> nowMillis + Scenario.MAX_FUTURE_SKEW_MS + 2_000 + random.nextInt(5_000);
      case BEFORE_2000 -> IN_1999 + random.nextInt(1_000_000);
      case DAYS_AHEAD -> nowMillis + 3 * DAY + random.nextInt(1_000_000);
    };
  }
}
