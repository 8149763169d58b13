package io.tracemetrics.local.replay;

import io.tracemetrics.local.store.PromQuery;
import io.tracemetrics.local.store.Prometheus;
import io.tracemetrics.local.store.VictoriaMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The three stores the job writes to at once:
 *
 * <ul>
 *   <li>VictoriaMetrics as the docs say to run it ({@code -dedup.minScrapeInterval=1ms}): what users query.
 *   <li>VictoriaMetrics without deduplication and with a century's retention: every sample as written, so a
 *       replayed sample with another value, or a sample from years ago, is seen.
 *   <li>Prometheus with an out-of-order window, as a Remote-Write receiver.
 * </ul>
 */
final class ReplayStores implements AutoCloseable {
  private final VictoriaMetrics deduplicated;
  private final VictoriaMetrics raw;
  private final Prometheus prometheus;

  ReplayStores() throws Exception {
    deduplicated = VictoriaMetrics.builder().dedupMinScrapeInterval(Duration.ofMillis(1)).start();
    raw = VictoriaMetrics.builder().retentionMonths(1200).start();
    prometheus = Prometheus.builder().flag("--web.enable-lifecycle").start();
    enableOutOfOrderWindow(prometheus);
  }

  /**
   * The launcher writes no storage section; Prometheus 2.42 applies the out-of-order window on a reload, so
   * it is appended to the running store's configuration and reloaded.
   */
  private static void enableOutOfOrderWindow(Prometheus prometheus) throws Exception {
    Files.writeString(prometheus.configFile(),
        "\nstorage:\n  tsdb:\n    out_of_order_time_window: 3650d\n", StandardOpenOption.APPEND);
    HttpResponse<String> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(prometheus.baseUrl() + "/-/reload"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("Prometheus reload answered " + answer.statusCode() + ": " + answer.body());
    }
  }

  String remoteWriteUrls() {
    return deduplicated.remoteWriteUrl() + "," + raw.remoteWriteUrl() + "," + prometheus.remoteWriteUrl();
  }

  PromQuery deduplicated() {
    return deduplicated.query();
  }

  PromQuery raw() {
    return raw.query();
  }

  PromQuery prometheus() {
    return prometheus.query();
  }

  String deduplicatedUrl() {
    return deduplicated.baseUrl();
  }

  String rawUrl() {
    return raw.baseUrl();
  }

  String prometheusUrl() {
    return prometheus.baseUrl();
  }

  void flush() {
    deduplicated.forceFlush();
    raw.forceFlush();
  }

  @Override
  public void close() {
    prometheus.close();
    raw.close();
    deduplicated.close();
  }
}
