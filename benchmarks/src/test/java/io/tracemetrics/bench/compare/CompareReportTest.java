package io.tracemetrics.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.bench.compare.ProcessMeter.Usage;
import io.tracemetrics.bench.compare.Results.Disturbed;
import io.tracemetrics.bench.compare.Results.Freshness;
import io.tracemetrics.bench.compare.Results.Level;
import io.tracemetrics.bench.compare.Results.Step;
import io.tracemetrics.bench.compare.Results.Sustained;
import io.tracemetrics.bench.compare.StoreCheck.Reading;
import io.tracemetrics.bench.compare.load.StepOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareReportTest {

  @Test
  void aRowPerMeasureAColumnPerStackAndTheRatioOfTheSpansPerCore(@TempDir Path dir) throws Exception {
    CompareOptions options = CompareOptions.parse("--stacks=seed,pipeline", "--report=" + dir.resolve("r.md"));
    CompareReport report = new CompareReport(options, "scripts/bench-compare.sh");
    report.add(level(StackKind.SEED, 100_000, Map.of("otelcol", usage(10))));
    report.add(level(StackKind.PIPELINE, 200_000, Map.of("gateway", usage(4), "job", usage(6))));

    String text = report.write();

    assertThat(text).contains("| measure | A: seed stack | B: pipeline (demo settings) | B ÷ A |")
        // 100k spans/s for 10 s on 10 CPU-seconds, against 200k spans/s on 4 + 6 CPU-seconds.
        .contains("| spans/s per stack core | 100,000 | 200,000 | 2.0× |")
        .contains("| sustained spans/s, zero loss | 100,000 | 200,000 | 2.0× |")
        .contains("| overload (2× sustained): lost silently, store | 10 lost of 1,000,")
        .contains("freshness p50 / p99 (span end → queryable) | 2.0 s / 3.0 s (3 probes)");
    assertThat(Files.readString(dir.resolve("r.json"))).contains("\"spansPerCore\" : 100000.0", "\"lost\" : 10");
  }

  private static Level level(StackKind kind, double rate, Map<String, Usage> usage) {
    StepOutcome hold = outcome(rate, (long) rate * 10);
    Reading exact = new Reading(100, 0, 100, 100, 4, 4, 0, 0, 0);
    Sustained sustained = new Sustained(rate, true, List.of(new Step(hold, true)), hold, usage, 10, exact, 3);
    Disturbed overload = new Disturbed(2 * rate, outcome(2 * rate, 1_000_000), exact,
        new Reading(1_000_100, 0, 1_000_090, 1_000_090, 4, 4, 0, 1, 0), usage, 5, "");
    return new Level(kind, kind.title(), 1_000, 0, sustained, new Freshness(rate / 2, List.of(1000L, 2000L, 3000L), 0),
        overload, null, null);
  }

  private static StepOutcome outcome(double rate, long accepted) {
    return new StepOutcome(rate, Duration.ofSeconds(10), accepted, accepted, 0, 0, Map.of("http 200", accepted), 1, 2,
        accepted / 10.0);
  }

  private static Usage usage(double cpuSeconds) {
    return new Usage(cpuSeconds, 0, 100 << 20, 120 << 20);
  }
}
