package io.tracemetrics.bench.gateway;

import io.tracemetrics.bench.PhaseResult;
import io.tracemetrics.bench.Cpu;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchDecisionsTest {

  @Test
  void optionsHaveDefaultsAndFlagsOverrideThem() {
    LoadOptions defaults = LoadOptions.parse();
    assertThat(defaults.duration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(defaults.warmup()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.rounds()).isEqualTo(5);
    assertThat(defaults.settle()).isEqualTo(Duration.ofSeconds(3));
    assertThat(defaults.senders()).isEqualTo(16);

    LoadOptions options = LoadOptions.parse("--duration-seconds=3", "--grpc-senders=2", "--spans-per-request=7");
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(3));
    assertThat(options.senders()).isEqualTo(18);
    assertThat(options.spansPerRequest()).isEqualTo(7);
  }

  @Test
  void theBrokerGoesWhereAskedOrToTheTemporaryDirectory(@TempDir Path dir) {
    assertThat(LoadOptions.parse("--broker-dir=" + dir).brokerParent()).isEqualTo(dir);
    assertThat(LoadOptions.parse("--broker-dir=" + dir.resolve("missing")).brokerParent())
        .isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
  }

  @ParameterizedTest
  @CsvSource({"--nope=1, unknown option", "duration-seconds=1, expected --name=value",
      "--spans-per-request=0, must be positive", "--http-senders=0, need at least one",
      "--rounds=0, must be positive"})
  void badOptionsAreRefusedWithTheReason(String arg, String message) {
    assertThatThrownBy(() -> LoadOptions.parse(arg)).hasMessageContaining(message);
  }

  @Test
  void percentilesAreNearestRankAndRatesFollowFromCountsAndTime() {
    long[] latencies = new long[100];
    for (int i = 0; i < latencies.length; i++) {
      latencies[i] = (100 - i) * 1_000_000L;
    }
    PhaseResult result = PhaseResult.ofRequests("x", latencies, 0, 10, 2.0, 4.0, Map.of());
    assertThat(result.p50Millis()).isEqualTo(50);
    assertThat(result.p99Millis()).isEqualTo(99);
    assertThat(result.spans()).isEqualTo(1000);
    assertThat(result.spansPerSecond()).isEqualTo(500);
    assertThat(result.spansPerCoreSecond()).isEqualTo(250);
    assertThat(result.cores()).isEqualTo(2);
  }

  @Test
  void theVerdictIsTakenOnAllRoundsTogether() {
    // Shares per round: 50 %, 90 %, 75 % (median 75 %); all rounds together: 2,650 of 4,000 requests, 66 %.
    List<PhaseResult> ceilings = List.of(window(2000, 1.0), window(1000, 1.0), window(1000, 1.0));
    List<PhaseResult> gateways = List.of(window(1000, 0.5), window(900, 0.5), window(750, 0.5));
    String report = BenchReport.render(LoadOptions.parse("--rounds=3"), RequestCorpus.build(
        LoadOptions.parse("--distinct-requests=2", "--spans-per-request=10")), ceilings, gateways);
    assertThat(report).contains("| 1 | 20,000 |").contains("| 50% |").contains("| 90% |")
        .contains("ceiling, all rounds: **66%** (target ≥ 70%): NOT met; the rounds' own shares: median 75%, 50–90%")
        .contains("per gateway core, all rounds: **17,667** (target ≥ 300,000): NOT met");
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(BenchReport.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(BenchReport.median(new double[] {7})).isEqualTo(7);
    assertThat(BenchReport.median(new double[0])).isNaN();
  }

  /** A 1 s window of {@code requests} requests of 10 spans, the measured process using {@code cores}. */
  private static PhaseResult window(int requests, double cores) {
    long[] latencies = new long[requests];
    Arrays.fill(latencies, 1_000_000L);
    return PhaseResult.ofRequests("x", latencies, 0, 10, 1.0, cores,
        Map.of(GatewayLoad.BROKER, 0.5, GatewayLoad.LOAD, 0.25, GatewayLoad.GATEWAY, cores, GatewayLoad.MACHINE, 1.5));
  }

  @Test
  void noAcknowledgedRequestMeansNoLatency() {
    PhaseResult result = PhaseResult.ofRequests("x", new long[0], 5, 10, 1.0, 1.0, Map.of());
    assertThat(result.p50Millis()).isNaN();
    assertThat(result.refused()).isEqualTo(5);
  }

  @Test
  void cpuOfThisProcessIsReadFromProcAndGrows() {
    double before = Cpu.processSeconds(ProcessHandle.current().pid());
    long sink = 0;
    for (long i = 0; i < 300_000_000L; i++) {
      sink += i ^ (sink >>> 3);
    }
    assertThat(sink).isNotZero();
    assertThat(Cpu.processSeconds(ProcessHandle.current().pid())).isGreaterThan(before);
  }
}
