package io.tracemetrics.testsupport.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusConfigTest {

  @Test
  void everyJobScrapesItsTargetsAtTheGlobalInterval() {
    Map<String, List<String>> targets = new LinkedHashMap<>();
    targets.put("gateway", List.of("127.0.0.1:8888"));
    targets.put("flink", List.of("127.0.0.1:9249", "127.0.0.1:9250"));

    String yml = PrometheusConfig.render(Duration.ofMillis(1500), Duration.ofMinutes(10), targets, List.of());

    assertThat(yml).isEqualTo(String.join("\n",
        "global:",
        "  scrape_interval: 1500ms",
        "  scrape_timeout: 1500ms",
        "  evaluation_interval: 1500ms",
        "storage:",
        "  tsdb:",
        "    out_of_order_time_window: 600000ms",
        "scrape_configs:",
        "  - job_name: \"gateway\"",
        "    static_configs:",
        "      - targets: [\"127.0.0.1:8888\"]",
        "  - job_name: \"flink\"",
        "    static_configs:",
        "      - targets: [\"127.0.0.1:9249\", \"127.0.0.1:9250\"]",
        ""));
  }

  @Test
  void noTargetsIsAnEmptyList() {
    assertThat(PrometheusConfig.render(Duration.ofSeconds(1), Duration.ofMinutes(10), Map.of(), List.of())).endsWith("scrape_configs: []\n");
  }

  @Test
  void aZeroOutOfOrderWindowLeavesPrometheusDefaultOfNone() {
    assertThat(PrometheusConfig.render(Duration.ofSeconds(1), Duration.ZERO, Map.of(), List.of())).doesNotContain("storage");
  }

  @Test
  void noRemoteWriteLeavesTheSectionOut() {
    assertThat(PrometheusConfig.render(Duration.ofSeconds(1), Duration.ofMinutes(10), Map.of(), List.of()))
        .doesNotContain("remote_write");
  }

  @Test
  void everyRemoteWriteUrlIsAnEntryAfterTheScrapeJobs() {
    String yml = PrometheusConfig.render(Duration.ofSeconds(1), Duration.ZERO,
        Map.of("flink", List.of("127.0.0.1:9249")),
        List.of("http://127.0.0.1:8428/api/v1/write", "http://127.0.0.1:9090/api/v1/write"));

    assertThat(yml).endsWith(String.join("\n",
        "scrape_configs:",
        "  - job_name: \"flink\"",
        "    static_configs:",
        "      - targets: [\"127.0.0.1:9249\"]",
        "remote_write:",
        "  - url: \"http://127.0.0.1:8428/api/v1/write\"",
        "  - url: \"http://127.0.0.1:9090/api/v1/write\"",
        ""));
  }

  @Test
  void remoteWriteWithoutTargetsFollowsTheEmptyScrapeList() {
    assertThat(PrometheusConfig.render(Duration.ofSeconds(1), Duration.ZERO, Map.of(),
        List.of("http://127.0.0.1:8428/api/v1/write")))
        .endsWith("scrape_configs: []\nremote_write:\n  - url: \"http://127.0.0.1:8428/api/v1/write\"\n");
  }

  @Test
  void quotesAndBackslashesAreEscaped() {
    assertThat(PrometheusConfig.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
  }
}
