package io.tracemetrics.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompareOptionsTest {
  @Test
  void defaultsRunEveryStackAtThreeSeriesLevels() {
    CompareOptions defaults = CompareOptions.parse();

    assertThat(defaults.stacks()).containsExactly(StackKind.SEED, StackKind.COLLECTOR_RW, StackKind.PIPELINE,
        StackKind.PIPELINE_TUNED);
    assertThat(defaults.seriesLevels()).containsExactly(1_000L, 100_000L, 1_000_000L);
    assertThat(defaults.everyMeasure()).isTrue();
    assertThat(defaults.holdDuration()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void quickShortensThePhasesButGivenFlagsStillWin() {
    CompareOptions quick = CompareOptions.parse("--quick=true", "--hold-seconds=7", "--stacks=pipeline");

    assertThat(quick.seriesLevels()).containsExactly(1_000L);
    assertThat(quick.stepDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(quick.holdDuration()).isEqualTo(Duration.ofSeconds(7));
    assertThat(quick.stacks()).containsExactly(StackKind.PIPELINE);
  }

  @Test
  void unknownStacksOptionsAndBadValuesAreRefused() {
    for (List<String> args : List.of(List.of("--stacks=tempo"), List.of("--serie=1"), List.of("--http-share=2"),
        List.of("--rate-factor=1"), List.of("--series=0"), List.of("--measures=some"), List.of("--hold-seconds=0"))) {
      assertThatThrownBy(() -> CompareOptions.parse(args.toArray(new String[0])))
          .as("%s", args).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
