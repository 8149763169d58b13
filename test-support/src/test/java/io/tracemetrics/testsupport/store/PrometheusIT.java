package io.tracemetrics.testsupport.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tracemetrics.testsupport.junit.PrometheusExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.MethodName.class)
class PrometheusIT {

  @RegisterExtension
  @Order(1)
  static final MetricsEndpoint APP = new MetricsEndpoint("demo_requests_total{path=\"/a\"} 7\n");

  @RegisterExtension
  @Order(2)
  static final PrometheusExtension PROMETHEUS = new PrometheusExtension(() -> Prometheus.builder()
      .scrapeTarget("app", APP.hostPort())
      .scrapeInterval(Duration.ofMillis(500)));

  @Test
  void scrapedMetricIsQueryableWithItsJobLabel() {
    PromQuery query = PROMETHEUS.query();

    query.awaitValue("demo_requests_total{job=\"app\",path=\"/a\"}", 7, Duration.ofSeconds(20));
    assertThat(query.scalar("up{job=\"app\"}")).hasValue(1);
  }

  @Test
  void everyScrapeIsARawSample() {
    PromQuery query = PROMETHEUS.query();

    query.await("count_over_time(demo_requests_total[1h])", s -> !s.isEmpty() && s.get(0).value() >= 3,
        "three scrapes", Duration.ofSeconds(20));
    List<RawSample> samples = query.rawSamples("demo_requests_total");

    assertThat(samples).hasSizeGreaterThanOrEqualTo(3).allMatch(s -> s.value() == 7);
    assertThat(samples).extracting(RawSample::timestampMillis).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void remoteWriteReceiverIsOn() throws Exception {
    long ts = System.currentTimeMillis() - 1_000;

    RemoteWriteRequests.post(PROMETHEUS.store().remoteWriteUrl(), "written_total", Map.of("job", "rw"), 42, ts);

    assertThat(PROMETHEUS.query().rawSamples("written_total")).containsExactly(new RawSample(ts, 42));
  }

  @Test
  void promtoolAcceptsTheGeneratedConfig() throws Exception {
    Process promtool = new ProcessBuilder("promtool", "check", "config", PROMETHEUS.store().configFile().toString())
        .redirectErrorStream(true)
        .start();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as(output).isZero();
  }

  /** A tiny application exposing fixed Prometheus text at {@code /metrics}. */
  static final class MetricsEndpoint implements BeforeAllCallback, AfterAllCallback {
    private final byte[] body;
    private HttpServer server;

    MetricsEndpoint(String text) {
      this.body = text.getBytes(StandardCharsets.UTF_8);
    }

    String hostPort() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/metrics", exchange -> {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
      server.stop(0);
    }
  }
}
