package io.tracemetrics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracemetrics.demo.LocalDemo;
import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every panel query of the provisioned Grafana dashboard (docker/grafana/dashboards/red.json) is valid PromQL
 * that returns data, in Prometheus and in VictoriaMetrics, when they hold the job's real output: spans sent
 * with the OpenTelemetry Java SDK through the gateway, Kafka and the job on a MiniCluster. Template variables
 * are replaced the way Grafana does: "All" is the variable's allValue, a single pick is the value itself.
 */
class DashboardQueriesIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Path DASHBOARD = Path.of("docker", "grafana", "dashboards", "red.json");
  private static final String CALLS = "llm_traces_span_metrics_calls_total";
  private static LocalDemo demo;

  @BeforeAll
  static void startPipeline() throws Exception {
    demo =
        LocalDemo.builder()
            .anyFreePorts()
            .withPrometheus(true)
            .parallelism(1)
            .quickWindows()
            .start();
  }

  @AfterAll
  static void stopPipeline() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void everyPanelQueryReturnsDataInBothStores() throws IOException {
    List<PromQuery> stores = stores();
    // Two batches a few windows apart, so every rate over the last minute is above zero.
    sendBatch();
    for (PromQuery store : stores) {
      store.awaitValue("sum(" + CALLS + ")", 8, PATIENCE);
    }
    sendBatch();
    for (PromQuery store : stores) {
      store.awaitValue("sum(" + CALLS + ")", 16, PATIENCE);
    }

    List<String> queries = panelQueries(readDashboard());
    assertThat(queries).as("panel queries of %s", DASHBOARD).hasSizeGreaterThanOrEqualTo(8);
    for (Map<String, String> variables : List.of(
        Map.of("$service", ".*", "$span", ".*"),
        Map.of("$service", "checkout", "$span", "GET /cart"))) {
      for (String query : queries) {
        String promql = substitute(query, variables);
        for (PromQuery store : stores) {
          List<Sample> result = store.await(promql, DashboardQueriesIT::hasPositiveValue,
              "at least one finite value above 0", PATIENCE);
          assertThat(result).as("%s in %s", promql, store).isNotEmpty();
        }
      }
    }
  }

  private static boolean hasPositiveValue(List<Sample> samples) {
    return samples.stream().anyMatch(sample -> Double.isFinite(sample.value()) && sample.value() > 0);
  }

  /** Grafana's interpolation for the dashboard's variables; $__rate_interval as Grafana would pick it here. */
  static String substitute(String query, Map<String, String> variables) {
    String result = query.replace("$__rate_interval", "1m");
    for (Map.Entry<String, String> variable : variables.entrySet()) {
      result = result.replace(variable.getKey(), variable.getValue());
    }
    assertThat(result).as("every variable of %s replaced", query).doesNotContain("$");
    return result;
  }

  static List<String> panelQueries(JsonNode dashboard) {
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("targets")).as("targets of panel %s", panel.path("title").asText()).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.path("expr").asText());
      }
    }
    return queries;
  }

  private static JsonNode readDashboard() throws IOException {
    // Failsafe runs in the module directory; the dashboard lives at the repository root.
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(DASHBOARD))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a parent directory holding %s", DASHBOARD).isNotNull();
    return new ObjectMapper().readTree(dir.resolve(DASHBOARD).toFile());
  }

  private static List<PromQuery> stores() {
    assertThat(demo.prometheus()).as("Prometheus (apt-get install prometheus) is part of this test").isPresent();
    return List.of(demo.victoriaMetrics().query(), demo.prometheus().get().query());
  }

  /** Eight spans: two services, OK and error, durations spread over the buckets. */
  private static void sendBatch() {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + demo.gateway().httpPort() + "/v1/traces")
        .build();
    long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    for (String service : List.of("checkout", "payments")) {
      SdkTracerProvider provider = SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
          .addSpanProcessor(SimpleSpanProcessor.create(exporter))
          .build();
      Tracer tracer = provider.get("dashboard-queries-it");
      String name = service.equals("checkout") ? "GET /cart" : "charge";
      long[] durationsMs = {3, 40, 250, 1200};
      for (int i = 0; i < durationsMs.length; i++) {
        long end = now - TimeUnit.MILLISECONDS.toNanos(10);
        tracer.spanBuilder(name).setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(end - TimeUnit.MILLISECONDS.toNanos(durationsMs[i]), TimeUnit.NANOSECONDS)
            .startSpan()
            .setStatus(i == 3 ? StatusCode.ERROR : StatusCode.OK)
            .end(end, TimeUnit.NANOSECONDS);
      }
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).as("export of %s", service).isTrue();
    }
    exporter.shutdown().join(10, TimeUnit.SECONDS);
  }
}
