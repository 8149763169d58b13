package io.tracemetrics.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchDecisionsTest {

  @Test
  void optionsHaveDefaultsAndFlagsOverrideThem() {
    LoadOptions defaults = LoadOptions.parse();
    assertThat(defaults.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.warmup()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.senders()).isEqualTo(16);

    LoadOptions options = LoadOptions.parse("--duration-seconds=3", "--grpc-senders=2", "--spans-per-request=7");
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(3));
    assertThat(options.senders()).isEqualTo(18);
    assertThat(options.spansPerRequest()).isEqualTo(7);
  }

  @ParameterizedTest
  @CsvSource({"--nope=1, unknown option", "duration-seconds=1, expected --name=value",
      "--spans-per-request=0, must be positive", "--http-senders=0, need at least one"})
  void badOptionsAreRefusedWithTheReason(String arg, String message) {
    assertThatThrownBy(() -> LoadOptions.parse(arg)).hasMessageContaining(message);
  }

  @Test
  void percentilesAreNearestRankAndRatesFollowFromCountsAndTime() {
    long[] latencies = new long[100];
    for (int i = 0; i < latencies.length; i++) {
      latencies[i] = (100 - i) * 1_000_000L;
    }
    PhaseResult result = PhaseResult.of("x", latencies, 0, 10, 2.0, 4.0);
    assertThat(result.p50Millis()).isEqualTo(50);
    assertThat(result.p99Millis()).isEqualTo(99);
    assertThat(result.spans()).isEqualTo(1000);
    assertThat(result.spansPerSecond()).isEqualTo(500);
    assertThat(result.spansPerCoreSecond()).isEqualTo(250);
    assertThat(result.cores()).isEqualTo(2);
  }

  @Test
  void noAcknowledgedRequestMeansNoLatency() {
    PhaseResult result = PhaseResult.of("x", new long[0], 5, 10, 1.0, 1.0);
    assertThat(result.p50Millis()).isNaN();
    assertThat(result.refused()).isEqualTo(5);
  }

  @Test
  void cpuOfThisProcessIsReadFromProcAndGrows() {
    double before = ProcessCpu.seconds(ProcessHandle.current().pid());
    long sink = 0;
    for (long i = 0; i < 300_000_000L; i++) {
      sink += i ^ (sink >>> 3);
    }
    assertThat(sink).isNotZero();
    assertThat(ProcessCpu.seconds(ProcessHandle.current().pid())).isGreaterThan(before);
  }
}
