package io.tracemetrics.testsupport.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.testsupport.junit.PrometheusExtension;
import io.tracemetrics.testsupport.junit.VictoriaMetricsExtension;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Prometheus that scrapes and remote-writes what it scraped to VictoriaMetrics; both processes' pids. */
class PrometheusRemoteWriteIT {

  @RegisterExtension
  @Order(1)
  static final VictoriaMetricsExtension VICTORIA_METRICS = new VictoriaMetricsExtension();

  @RegisterExtension
  @Order(2)
  static final PrometheusIT.MetricsEndpoint APP =
      new PrometheusIT.MetricsEndpoint("demo_requests_total{path=\"/a\"} 7\n");

  @RegisterExtension
  @Order(3)
  static final PrometheusExtension PROMETHEUS = new PrometheusExtension(() -> Prometheus.builder()
      .scrapeTarget("app", APP.hostPort())
      .scrapeInterval(Duration.ofMillis(500))
      .remoteWrite(VICTORIA_METRICS.store().remoteWriteUrl()));

  @Test
  void whatPrometheusScrapesArrivesInVictoriaMetrics() {
    VICTORIA_METRICS.query().awaitValue("demo_requests_total{job=\"app\",path=\"/a\"}", 7, Duration.ofSeconds(30));
    assertThat(VICTORIA_METRICS.query().scalar("up{job=\"app\"}")).hasValue(1);
  }

  @Test
  void pidsAreTheLiveProcesses() {
    assertThat(ProcessHandle.of(PROMETHEUS.store().pid()).map(ProcessHandle::isAlive)).contains(true);
    VictoriaMetrics store = VICTORIA_METRICS.store();
    long before = store.pid();

    store.restart();

    assertThat(store.pid()).isNotEqualTo(before);
    assertThat(ProcessHandle.of(store.pid()).map(ProcessHandle::isAlive)).contains(true);
    assertThat(ProcessHandle.of(before)).isEmpty();
  }
}
