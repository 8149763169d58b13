package io.tracemetrics.e2e;

import static io.tracemetrics.e2e.RecordedSpans.span;
import static io.tracemetrics.e2e.RecordedSpans.tracer;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tracemetrics.demo.LocalDemo;
import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.RawSample;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path, for real: the OpenTelemetry Java SDK's OTLP exporters (gRPC and HTTP protobuf) → the
 * gateway → a KRaft Kafka broker → the job on a Flink MiniCluster → VictoriaMetrics and Prometheus,
 * read back with PromQL. Windows are short so the test is quick; the numbers must be exact.
 */
class EndToEndIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static LocalDemo demo;

  @BeforeAll
  static void startPipeline() throws Exception {
    demo =
        LocalDemo.builder()
            .anyFreePorts()
            .withPrometheus(true)
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
  void spansFromTheJavaSdkBecomeExactCallsAndLatencyBuckets() {
    long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    List<SpanData> checkout = new ArrayList<>();
    Tracer cart = tracer("checkout", "end-to-end-test", checkout);
    span(cart, "GET /cart", SpanKind.SERVER, StatusCode.OK, now, 1_000_000L);
    span(cart, "GET /cart", SpanKind.SERVER, StatusCode.OK, now, 2_000_000L); // on the 2 ms bound: le="2"
    span(cart, "GET /cart", SpanKind.SERVER, StatusCode.OK, now, 2_000_001L); // just above it: le="4"
    span(cart, "GET /cart", SpanKind.SERVER, StatusCode.ERROR, now, 10_000_000L);
    span(cart, "GET /cart", SpanKind.SERVER, StatusCode.ERROR, now, 20_000_000_000L); // above every bound
    span(cart, "GET /cart", SpanKind.SERVER, StatusCode.UNSET, now, 450_000_000L);
    List<SpanData> payments = new ArrayList<>();
    Tracer pay = tracer("payments", "end-to-end-test", payments);
    for (int i = 0; i < 3; i++) {
      span(pay, "charge", SpanKind.CLIENT, StatusCode.OK, now, 100_000_000L);
    }
    span(pay, "charge", SpanKind.CLIENT, StatusCode.ERROR, now, 5_000_000_000L);

    export(OtlpGrpcSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + demo.gateway().grpcPort()).build(), checkout);
    export(OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + demo.gateway().httpPort() + "/v1/traces").build(), payments);

    for (PromQuery store : stores()) {
      expectCalls(store, "checkout", "GET /cart", "SPAN_KIND_SERVER", "STATUS_CODE_OK", 3);
      expectCalls(store, "checkout", "GET /cart", "SPAN_KIND_SERVER", "STATUS_CODE_ERROR", 2);
      expectCalls(store, "checkout", "GET /cart", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET", 1);
      expectCalls(store, "payments", "charge", "SPAN_KIND_CLIENT", "STATUS_CODE_OK", 3);
      expectCalls(store, "payments", "charge", "SPAN_KIND_CLIENT", "STATUS_CODE_ERROR", 1);

      Map<String, Double> cartBuckets = Map.ofEntries(
          Map.entry("2", 2d), Map.entry("4", 3d), Map.entry("8", 3d), Map.entry("10", 4d), Map.entry("400", 4d),
          Map.entry("800", 5d), Map.entry("15000", 5d), Map.entry("+Inf", 6d));
      cartBuckets.forEach((le, count) -> store.awaitValue(
          "sum(llm_traces_span_metrics_latency_bucket{service_name=\"checkout\",le=\"" + le + "\"})",
          count, PATIENCE));
      Map<String, Double> payBuckets = Map.of("50", 0d, "100", 3d, "2000", 3d, "5000", 4d, "+Inf", 4d);
      payBuckets.forEach((le, count) -> store.awaitValue(
          "sum(llm_traces_span_metrics_latency_bucket{service_name=\"payments\",le=\"" + le + "\"})",
          count, PATIENCE));
      store.awaitValue("sum(llm_traces_span_metrics_latency_count{service_name=\"checkout\"})", 6, PATIENCE);
      store.awaitValue("sum(llm_traces_span_metrics_latency_sum{service_name=\"payments\"})", 5300, PATIENCE);
    }

    // Several windows later nothing was counted twice, and no stored counter ever went down.
    PromQuery vm = demo.victoriaMetrics().query();
    long later = System.currentTimeMillis() + 5_000;
    vm.await("llm_traces_span_metrics_calls_total{service_name=\"payments\",status_code=\"STATUS_CODE_OK\"}",
        samples -> !samples.isEmpty() && samples.get(0).timestampMillis() > later, "a sample 5 s later", PATIENCE);
    expectCalls(vm, "payments", "charge", "SPAN_KIND_CLIENT", "STATUS_CODE_OK", 3);
    expectCalls(vm, "checkout", "GET /cart", "SPAN_KIND_SERVER", "STATUS_CODE_OK", 3);
    vm.rawSeries("{__name__=~\"llm_traces_span_metrics_.*\"}").forEach((labels, samples) -> {
      for (int i = 1; i < samples.size(); i++) {
        RawSample previous = samples.get(i - 1);
        RawSample sample = samples.get(i);
        assertThat(sample.value()).as("%s at %d", labels, sample.timestampMillis()).isGreaterThanOrEqualTo(previous.value());
        assertThat(sample.timestampMillis()).as("%s", labels).isGreaterThan(previous.timestampMillis());
      }
    });
  }

  /**
   * OTLP enums are open: a sender may write span kind 9 or status code 7. Sent as raw OTLP/HTTP protobuf
   * beside the SDK's known values for one service and span name, they are counted under the names they are
   * written as, so each label set is one series with every span in it, in both stores, and no remote-write
   * request was refused for two values of one label set.
   */
  @Test
  void unknownSpanKindsAndStatusCodesAreCountedUnderTheNamesTheyAreWrittenAs() throws Exception {
    long end = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    List<SpanData> known = new ArrayList<>();
    Tracer tracer = tracer("odd-enums", "end-to-end-test", known);
    span(tracer, "work", SpanKind.SERVER, StatusCode.OK, end, 1_000_000L);
    span(tracer, "work", SpanKind.INTERNAL, StatusCode.UNSET, end, 1_000_000L);
    export(OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + demo.gateway().httpPort() + "/v1/traces").build(), known);

    // kind, status: 0/0 and every unknown pair are SPAN_KIND_UNSPECIFIED / STATUS_CODE_UNSET; 2/9 is SERVER/UNSET.
    int[][] raw = {{0, 0}, {9, 0}, {0, 7}, {9, 7}, {6, 3}, {2, 9}, {-1, -1}};
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    ScopeSpans.Builder scope = request.addResourceSpansBuilder()
        .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAttributes(KeyValue.newBuilder()
            .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("odd-enums"))))
        .addScopeSpansBuilder();
    for (int[] pair : raw) {
      scope.addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8]))
          .setName("work").setKindValue(pair[0])
          .setStartTimeUnixNano(end - 1_000_000L).setEndTimeUnixNano(end)
          .setStatus(Status.newBuilder().setCodeValue(pair[1])));
    }
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.gateway().httpPort() + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.build().toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

    for (PromQuery store : stores()) {
      expectCalls(store, "odd-enums", "work", "SPAN_KIND_UNSPECIFIED", "STATUS_CODE_UNSET", 6);
      expectCalls(store, "odd-enums", "work", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET", 1);
      expectCalls(store, "odd-enums", "work", "SPAN_KIND_SERVER", "STATUS_CODE_OK", 1);
      expectCalls(store, "odd-enums", "work", "SPAN_KIND_INTERNAL", "STATUS_CODE_UNSET", 1);
      store.awaitValue("count(llm_traces_span_metrics_calls_total{service_name=\"odd-enums\"})", 4, PATIENCE);
      store.awaitValue("sum(llm_traces_span_metrics_latency_count{service_name=\"odd-enums\"})", 9, PATIENCE);
    }
    assertThat(reporterSum("samplesDropped")).as("samples the sink dropped").isZero();
    assertThat(reporterSum("numRestarts")).as("job restarts").isZero();
  }

  /** The sum of every metric of the job's Prometheus reporter whose name contains {@code name}. */
  private static double reporterSum(String name) throws Exception {
    String text = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.flinkMetricsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (!line.startsWith("#") && line.contains(name)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    assertThat(found).as("the reporter exposes %s", name).isTrue();
    return sum;
  }

  private static List<PromQuery> stores() {
    List<PromQuery> stores = new ArrayList<>();
    stores.add(demo.victoriaMetrics().query());
    assertThat(demo.prometheus()).as("Prometheus (apt-get install prometheus) is part of this test").isPresent();
    stores.add(demo.prometheus().get().query());
    return stores;
  }

  private static void expectCalls(
      PromQuery store, String service, String span, String kind, String status, double expected) {
    store.awaitValue(
        "llm_traces_span_metrics_calls_total{service_name=\"" + service + "\",span_name=\"" + span
            + "\",span_kind=\"" + kind + "\",status_code=\"" + status + "\"}",
        expected, PATIENCE);
  }
  private static void export(SpanExporter exporter, List<SpanData> spans) {
    try {
      CompletableResultCode result = exporter.export(spans).join(30, TimeUnit.SECONDS);
      assertThat(result.isSuccess()).as("the gateway accepted the export").isTrue();
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
