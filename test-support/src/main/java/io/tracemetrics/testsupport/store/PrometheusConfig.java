package io.tracemetrics.testsupport.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Renders the {@code prometheus.yml} of a {@link Prometheus}: one static scrape job per name, and one
 * {@code remote_write} entry per URL (none: the section is left out).
 */
final class PrometheusConfig {

  private PrometheusConfig() {}

  static String render(
      Duration scrapeInterval, Duration outOfOrderTimeWindow, Map<String, List<String>> targetsByJob,
      List<String> remoteWriteUrls) {
    String interval = scrapeInterval.toMillis() + "ms";
    StringBuilder yml = new StringBuilder()
        .append("global:\n")
        .append("  scrape_interval: ").append(interval).append('\n')
        // The timeout may not exceed the interval, and its default (10 s) would with a short interval.
        .append("  scrape_timeout: ").append(interval).append('\n')
        .append("  evaluation_interval: ").append(interval).append('\n');
    if (!outOfOrderTimeWindow.isZero()) {
      // A replay re-sends samples older than their series' newest; without this, each is refused (400).
      yml.append("storage:\n")
          .append("  tsdb:\n")
          .append("    out_of_order_time_window: ").append(outOfOrderTimeWindow.toMillis()).append("ms\n");
    }
    yml.append("scrape_configs:");
    if (targetsByJob.isEmpty()) {
      yml.append(" []\n");
    } else {
      yml.append('\n');
      targetsByJob.forEach((job, targets) -> {
        yml.append("  - job_name: ").append(quote(job)).append('\n')
            .append("    static_configs:\n")
            .append("      - targets: [");
        for (int i = 0; i < targets.size(); i++) {
          yml.append(i == 0 ? "" : ", ").append(quote(targets.get(i)));
        }
        yml.append("]\n");
      });
    }
    if (!remoteWriteUrls.isEmpty()) {
      yml.append("remote_write:\n");
      remoteWriteUrls.forEach(url -> yml.append("  - url: ").append(quote(url)).append('\n'));
    }
    return yml.toString();
  }

  /** A YAML double-quoted scalar, so a job name with a colon or a hash stays one string. */
  static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
