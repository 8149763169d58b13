package io.tracemetrics.testsupport.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracemetrics.testsupport.junit.VictoriaMetricsExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VictoriaMetricsIT {

  @RegisterExtension
  static final VictoriaMetricsExtension VM = new VictoriaMetricsExtension();

  @Test
  void importedSamplesAreQueryableAndExportedRaw() throws Exception {
    long now = System.currentTimeMillis();
    importLines(
        "calls_total{service_name=\"a\"} 1 " + (now - 60_000),
        "calls_total{service_name=\"a\"} 3 " + (now - 30_000),
        "calls_total{service_name=\"b\"} 5 " + (now - 30_000));
    VM.store().forceFlush();
    PromQuery query = VM.query();

    query.awaitValue("calls_total{service_name=\"a\"}", 3, Duration.ofSeconds(10));
    assertThat(query.scalar("sum(calls_total)")).hasValue(8);
    assertThat(query.instant("calls_total"))
        .extracting(s -> s.label("service_name"))
        .containsExactlyInAnyOrder("a", "b");
    assertThat(query.rawSamples("calls_total{service_name=\"a\"}"))
        .containsExactly(new RawSample(now - 60_000, 1), new RawSample(now - 30_000, 3));
    assertThat(query.rawSeries("calls_total")).containsKeys(
        Map.of("__name__", "calls_total", "service_name", "a"), Map.of("__name__", "calls_total", "service_name", "b"));
  }

  @Test
  void awaitValueFailsWithTheLastResultSeen() {
    assertThatThrownBy(() -> VM.query().awaitValue("vector(1)", 2, Duration.ofMillis(300)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("vector(1)")
        .hasMessageContaining("last seen: [{} 1.0");
  }

  @Test
  void seriesThatWasNeverWrittenHasNoValueAndNoSamples() {
    assertThat(VM.query().scalar("never_written")).isEmpty();
    assertThat(VM.query().rawSamples("never_written")).isEmpty();
  }

  @Test
  void remoteWriteEndpointAcceptsAWriteRequest() throws Exception {
    long ts = System.currentTimeMillis() - 10_000;

    int status = RemoteWriteRequests.post(VM.store().remoteWriteUrl(), "written_total", Map.of("job", "rw"), 42, ts);
    VM.store().forceFlush();

    assertThat(status).isEqualTo(204);
    assertThat(VM.query().rawSamples("written_total")).containsExactly(new RawSample(ts, 42));
  }

  private static void importLines(String... lines) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(VM.store().importPrometheusUrl()))
        .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", List.of(lines)) + "\n"))
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
  }
}
