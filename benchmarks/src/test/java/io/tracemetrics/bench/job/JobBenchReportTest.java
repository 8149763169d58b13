package io.tracemetrics.bench.job;

import io.tracemetrics.bench.PhaseResult;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobBenchReportTest {
  @Test
  void percentileIsTheNearestRank() {
    List<Long> sorted = List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L);

    assertThat(JobBenchReport.percentile(sorted, 0.50)).isEqualTo(50);
    assertThat(JobBenchReport.percentile(sorted, 0.99)).isEqualTo(100);
    assertThat(JobBenchReport.percentile(List.of(7L), 0.99)).isEqualTo(7);
  }

  @Test
  void medianTakesOnlyThePhasesOfItsKind() {
    List<PhaseResult> phases = List.of(
        PhaseResult.of(ThroughputBench.CEILING + " (1)", 100, 1, 1),
        PhaseResult.of(ThroughputBench.JOB + " (1)", 10, 1, 1),
        PhaseResult.of(ThroughputBench.CEILING + " (2)", 300, 1, 1),
        PhaseResult.of(ThroughputBench.CEILING + " (3)", 200, 1, 1),
        PhaseResult.of(ThroughputBench.JOB + " (2)", 30, 1, 1));

    assertThat(JobBenchReport.median(phases, ThroughputBench.CEILING, PhaseResult::spansPerCoreSecond)).isEqualTo(200);
    assertThat(JobBenchReport.median(phases, ThroughputBench.JOB, PhaseResult::spansPerCoreSecond)).isEqualTo(20);
  }

  @Test
  void phaseRatesComeFromSpansWallAndCpuTime() {
    PhaseResult phase = PhaseResult.of("p", 1_000, 2.0, 0.5);

    assertThat(phase.spansPerSecond()).isEqualTo(500);
    assertThat(phase.spansPerCoreSecond()).isEqualTo(2_000);
    assertThat(phase.cores()).isEqualTo(0.25);
  }
}
