package io.tracemetrics.job.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The spans of one seed, tick by tick; tick 0 is the backlog written before the job first starts. Services
 * (prefixed by the seed, so seeds share stores without sharing series):
 *
 * <ul>
 *   <li>{@code web}, {@code api}: exactly at the series limit (2 names × 3 kind/status pairs), a span per
 *       series in nearly every tick, plus late, old, future, invalid and odd-enum spans. They must never
 *       overflow.
 *   <li>{@code over}: 9 series, over the limit; only 6 of them in the first ticks, all on one partition: 6 are
 *       admitted whole (usually those, but sums of one watermark interval reach the limit together, so the
 *       order within one is free) and the other 3 go to overflow.
 *   <li>{@code idle}: one series with a gap of over twice the expiry: it must expire and start again.
 * </ul>
 *
 * Partitions carry uneven shares, and one partition never gets a record.
 */
record Corpus(long seed, String prefix, List<List<RecordPlan>> ticks, int idlePartition) {
  static final int OVER_FIRST_TICKS = 3;
  static final int IDLE_SERVICE_TICKS = 3;

  static Corpus generate(long seed) {
    Random random = new Random(seed);
    String prefix = "r" + Long.toUnsignedString(seed, 36) + "-";
    int[] partitions = shuffledPartitions(random);
    int idlePartition = partitions[Scenario.PARTITIONS - 1];
    int overPartition = partitions[random.nextInt(Scenario.PARTITIONS - 1)];
    List<List<RecordPlan>> ticks = new ArrayList<>();
    for (int tick = 0; tick <= Scenario.TICKS; tick++) {
      List<RecordPlan> records = new ArrayList<>();
      // The backlog holds a few ticks' worth, so the first start has something to catch up on.
      int rounds = tick == 0 ? 5 : 1;
      for (int round = 0; round < rounds; round++) {
        for (String service : new String[] {"web", "api"}) {
          records.add(RecordPlan.spans(pickPartition(random, partitions), prefix + service,
              regularSpans(random, prefix + service, service.equals("web") ? new String[] {"GET /a", "POST /b"}
                  : new String[] {"GET /c", "PUT /d"})));
        }
        records.add(RecordPlan.spans(overPartition, prefix + "over", overSpans(random, prefix + "over", tick)));
        if (tick <= IDLE_SERVICE_TICKS || tick > Scenario.TICKS - IDLE_SERVICE_TICKS) {
          records.add(RecordPlan.spans(pickPartition(random, partitions), prefix + "idle", List.of(
              new SpanPlan(prefix + "idle", "tick", 2, 1, Timing.ON_TIME, 1 + random.nextInt(50), random.nextLong()))));
        }
        if (random.nextDouble() < 0.15) {
          records.add(RecordPlan.poison(pickPartition(random, partitions), Poison.bytes(random)));
        }
      }
      ticks.add(records);
    }
    return new Corpus(seed, prefix, ticks, idlePartition);
  }

  private static List<SpanPlan> regularSpans(Random random, String service, String[] names) {
    List<SpanPlan> spans = new ArrayList<>();
    for (String name : names) {
      for (int[] pair : Scenario.KIND_STATUS) {
        if (random.nextDouble() < 0.9) {
          spans.add(new SpanPlan(service, name, pair[0], pair[1], Timing.ON_TIME, duration(random), random.nextLong()));
        }
      }
    }
    int extra = random.nextInt(3);
    for (int i = 0; i < extra; i++) {
      String name = names[random.nextInt(names.length)];
      int[] pair = Scenario.KIND_STATUS.get(random.nextInt(Scenario.KIND_STATUS.size()));
      int kind = pair[0];
      int status = pair[1];
      if (kind == 0 && random.nextBoolean()) {
        // Open proto3 enums: 9 and 7 are written as unspecified and unset, the label set already counted.
        kind = random.nextBoolean() ? 9 : 0;
        status = random.nextBoolean() ? 7 : 0;
      }
      spans.add(new SpanPlan(service, name, kind, status, odd(random), duration(random), random.nextLong()));
    }
    return spans;
  }

  private static List<SpanPlan> overSpans(Random random, String service, int tick) {
    List<SpanPlan> spans = new ArrayList<>();
    int names = tick < OVER_FIRST_TICKS ? 2 : 3;
    for (int n = 0; n < names; n++) {
      for (int[] pair : Scenario.KIND_STATUS) {
        if (tick < OVER_FIRST_TICKS || random.nextDouble() < 0.7) {
          spans.add(new SpanPlan(service, "q" + n, pair[0], pair[1], Timing.ON_TIME, duration(random), random.nextLong()));
        }
      }
    }
    return spans;
  }

  /** Extra spans: mostly unusual timings, some of them invalid. */
  private static Timing odd(Random random) {
    double p = random.nextDouble();
    if (p < 0.30) {
      return Timing.ON_TIME;
    } else if (p < 0.45) {
      return Timing.SECONDS_LATE;
    } else if (p < 0.55) {
      return Timing.HOURS_LATE;
    } else if (p < 0.62) {
      return Timing.DAYS_OLD;
    } else if (p < 0.67) {
      return Timing.YEARS_OLD;
    } else if (p < 0.80) {
      return Timing.FUTURE_WITHIN_CAP;
    } else if (p < 0.88) {
      return Timing.FUTURE_BEYOND_CAP;
    } else if (p < 0.92) {
      return Timing.END_BEFORE_START;
    } else if (p < 0.96) {
      return Timing.BEFORE_2000;
    }
    return Timing.DAYS_AHEAD;
  }

  private static int duration(Random random) {
    return 1 + (int) Math.min(20_000, Math.exp(random.nextDouble() * 9));
  }

  private static int[] shuffledPartitions(Random random) {
    int[] partitions = new int[Scenario.PARTITIONS];
    for (int i = 0; i < partitions.length; i++) {
      partitions[i] = i;
    }
    for (int i = partitions.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = partitions[i];
      partitions[i] = partitions[j];
      partitions[j] = t;
    }
    return partitions;
  }

  /** Shares 60 / 30 / 10 % over the first three shuffled partitions; the last one stays idle. */
  private static int pickPartition(Random random, int[] partitions) {
    double p = random.nextDouble();
    return partitions[p < 0.6 ? 0 : p < 0.9 ? 1 : 2];
  }
}
