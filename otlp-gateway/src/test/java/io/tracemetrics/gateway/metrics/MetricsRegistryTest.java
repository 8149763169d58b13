package io.tracemetrics.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

  @Test
  void rendersCountersWithSortedEscapedLabels() {
    MetricsRegistry registry = new MetricsRegistry();
    Counter counter = registry.counter("x_total", "Things.", "protocol", "code");
    counter.inc("http", "503");
    counter.add(2, "grpc", "OK");
    counter.inc("http", "a\"b\\c\nd");

    assertThat(registry.scrape()).isEqualTo("# HELP x_total Things.\n"
        + "# TYPE x_total counter\n"
        + "x_total{protocol=\"grpc\",code=\"OK\"} 2\n"
        + "x_total{protocol=\"http\",code=\"503\"} 1\n"
        + "x_total{protocol=\"http\",code=\"a\\\"b\\\\c\\nd\"} 1\n");
  }

  @Test
  void histogramBucketsAreCumulative() {
    MetricsRegistry registry = new MetricsRegistry();
    Histogram histogram = registry.histogram("d_seconds", "Durations.", 0.1, 1);
    histogram.observe(0.05);
    histogram.observe(0.5);
    histogram.observe(5);

    assertThat(registry.scrape()).contains(
        "d_seconds_bucket{le=\"0.1\"} 1\n",
        "d_seconds_bucket{le=\"1\"} 2\n",
        "d_seconds_bucket{le=\"+Inf\"} 3\n",
        "d_seconds_sum 5.55\n",
        "d_seconds_count 3\n");
  }

  @Test
  void gaugesAreReadAtScrapeTime() {
    MetricsRegistry registry = new MetricsRegistry();
    AtomicLong value = new AtomicLong(3);
    registry.gauge("g_bytes", "Bytes.", value::get);
    value.set(42);

    assertThat(registry.scrape()).contains("# TYPE g_bytes gauge\ng_bytes 42\n");
  }

  @Test
  void refusesWrongLabelCountDuplicateNamesAndNegativeIncrements() {
    MetricsRegistry registry = new MetricsRegistry();
    Counter counter = registry.counter("c_total", "C.", "a");

    assertThatThrownBy(() -> counter.inc("x", "y")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> counter.add(-1, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.counter("c_total", "again")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.counter("bad-name", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void gatewayMetricNamesAllCarryThePrefix() {
    MetricsRegistry registry = new MetricsRegistry();
    GatewayMetrics metrics = new GatewayMetrics(registry);
    metrics.inFlightBytes(() -> 0);
    metrics.kafkaReachable(() -> 1);
    metrics.startTimeSeconds(1);

    assertThat(registry.scrape().lines().filter(l -> l.startsWith("# TYPE ")))
        .allSatisfy(line -> assertThat(line).startsWith("# TYPE " + GatewayMetrics.PREFIX))
        .hasSize(11);
  }
}
