package io.tracemetrics.bench.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobBenchOptionsTest {
  @Test
  void defaultsRunEveryModeAndFlagsOverrideThem() {
    JobBenchOptions defaults = JobBenchOptions.parse();
    JobBenchOptions options = JobBenchOptions.parse("--modes=memory", "--memory-series=10,20", "--spans=5");

    assertThat(defaults.modes()).containsExactly("throughput", "memory", "freshness");
    assertThat(defaults.memorySeries()).containsExactly(100_000, 1_000_000);
    assertThat(options.modes()).containsExactly("memory");
    assertThat(options.memorySeries()).containsExactly(10, 20);
    assertThat(options.spans()).isEqualTo(5);
  }

  @Test
  void unknownOptionsModesAndNonPositiveSizesAreRefused() {
    for (List<String> args : List.of(List.of("--spanz=1"), List.of("--modes=speed"), List.of("--spans=0"),
        List.of("--error-percent=101"), List.of("spans=1"))) {
      assertThatThrownBy(() -> JobBenchOptions.parse(args.toArray(new String[0])))
          .as("%s", args).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
