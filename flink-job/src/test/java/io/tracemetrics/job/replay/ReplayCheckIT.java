package io.tracemetrics.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The replay check on a fixed list of seeds: the seeds that found violations stay here as regression cases.
 * Each seed prints its schedule and, on failure, every violation with what reproduces it
 * ({@code scripts/replay-check.sh --seed S}).
 */
class ReplayCheckIT {
  private static ReplayCheck check;

  @BeforeAll
  static void startStack() throws Exception {
    check = new ReplayCheck(System.out);
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (check != null) {
      System.out.println(check.summary());
      check.close();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  // Found violations (G1-G4, G6, G8, no savepoint) when the check was first run; see flink-job/README.md.
  // Two savepoint restarts; two lost task managers and a savepoint restart; every kind of fault.
  @ValueSource(longs = {1L, 3182962244374499290L, 5277061684365772010L})
  void everyGuaranteeHoldsUnderTheSeedsFaultSchedule(long seed) throws Exception {
    SeedRun.Result result = check.run(seed);
    assertThat(result.violations()).as("violations of seed %d, schedule %s", seed, result.schedule()).isEmpty();
  }
}
