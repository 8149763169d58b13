package io.tracemetrics.testsupport.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.testsupport.junit.PrometheusExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replay re-sends samples older than their series' newest. Prometheus 2.42 stores them only within its
 * out-of-order window, measured back from the newest sample of any series (not of the series), and the
 * launcher (like every Prometheus the project starts or documents) opens one of 10 minutes.
 */
class PrometheusOutOfOrderIT {

  @RegisterExtension
  @Order(1)
  static final PrometheusExtension WITH_WINDOW = new PrometheusExtension(Prometheus::builder);

  @RegisterExtension
  @Order(2)
  static final PrometheusExtension WITHOUT_WINDOW =
      new PrometheusExtension(() -> Prometheus.builder().outOfOrderTimeWindow(Duration.ZERO));

  private static final long NOW = System.currentTimeMillis();

  @Test
  void replayedSamplesWithinTheWindowAreStoredAndOlderOnesRefused() throws Exception {
    String url = WITH_WINDOW.store().remoteWriteUrl();
    Map<String, String> labels = Map.of("series", "replayed");

    assertThat(status(url, labels, 3, NOW)).isEqualTo(204);
    assertThat(status(url, labels, 2, NOW - 60_000)).as("a window re-sent a minute later").isEqualTo(204);
    assertThat(status(url, labels, 1, NOW - 9 * 60_000)).as("9 minutes back").isEqualTo(204);
    assertThat(status(url, labels, 3, NOW)).as("the newest sample again, same value").isEqualTo(204);
    // Beyond the window 2.42 answers 500, not 400 (it maps only out-of-order, out-of-bounds and duplicate
    // to 400), so a sender retries what can never be stored: the window must cover the replay horizon.
    HttpResponse<String> tooOld = RemoteWriteRequests.send(url, "replay_test_total", labels, 0, NOW - 11 * 60_000);
    assertThat(tooOld.statusCode()).as("11 minutes back").isEqualTo(500);
    assertThat(tooOld.body()).contains("too old sample");
    // The window counts from the TSDB's newest sample: a series of its own gets no more room.
    Map<String, String> other = Map.of("series", "other");
    assertThat(status(url, other, 5, NOW - 2 * 60_000)).isEqualTo(204);
    assertThat(status(url, other, 4, NOW - 11 * 60_000)).as("9 minutes behind its own newest").isEqualTo(500);

    assertThat(WITH_WINDOW.query().rawSamples("replay_test_total{series=\"replayed\"}")).containsExactly(
        new RawSample(NOW - 9 * 60_000, 1), new RawSample(NOW - 60_000, 2), new RawSample(NOW, 3));
  }

  @Test
  void withoutAWindowPrometheusRefusesAnyReplayedSample() throws Exception {
    String url = WITHOUT_WINDOW.store().remoteWriteUrl();
    Map<String, String> labels = Map.of("series", "replayed");

    assertThat(status(url, labels, 3, NOW)).isEqualTo(204);
    assertThat(status(url, labels, 2, NOW - 10_000)).as("one window back").isEqualTo(400);
  }

  private static int status(String url, Map<String, String> labels, double value, long at) throws Exception {
    return RemoteWriteRequests.send(url, "replay_test_total", labels, value, at).statusCode();
  }
}
