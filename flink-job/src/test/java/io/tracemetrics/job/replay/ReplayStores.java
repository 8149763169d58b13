package io.tracemetrics.job.replay;

import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.Prometheus;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
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
    // Replays and years-old spans must not be refused for their age: the window covers any corpus.
    prometheus = Prometheus.builder().outOfOrderTimeWindow(Duration.ofDays(3650)).start();
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
