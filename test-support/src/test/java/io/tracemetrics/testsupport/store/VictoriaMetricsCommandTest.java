package io.tracemetrics.testsupport.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VictoriaMetricsCommandTest {

  private static final Path BIN = Path.of("/usr/bin/victoria-metrics");
  private static final Path DATA = Path.of("/tmp/vm");

  @Test
  void defaultsListenOnLoopbackKeepTwelveMonthsAndShowPointsAfterOneSecond() {
    List<String> command = VictoriaMetrics.builder().command(BIN, 8428, DATA);

    assertThat(command).containsExactly(
        "/usr/bin/victoria-metrics",
        "-httpListenAddr=127.0.0.1:8428",
        "-storageDataPath=/tmp/vm",
        "-retentionPeriod=12",
        "-search.latencyOffset=1000ms",
        "-search.disableCache");
  }

  @Test
  void dedupIsSetOnlyWhenAsked() {
    List<String> command = VictoriaMetrics.builder()
        .dedupMinScrapeInterval(Duration.ofSeconds(15))
        .disableCache(false)
        .flag("-loggerLevel=WARN")
        .command(BIN, 1, DATA);

    assertThat(command)
        .contains("-dedup.minScrapeInterval=15000ms", "-loggerLevel=WARN")
        .doesNotContain("-search.disableCache");
  }
}
