package io.tracemetrics.e2e.ecosystem;

import static io.tracemetrics.e2e.RecordedSpans.span;
import static io.tracemetrics.e2e.RecordedSpans.tracer;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tracemetrics.testsupport.store.PromQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service's spans with known RED numbers, made by the OpenTelemetry Java SDK (the "apps" in front of
 * a Collector): per copy, {@code GET /cart} (server) 3 OK, 2 ERROR, 1 UNSET and {@code charge} (client)
 * 3 OK, 1 ERROR, with durations on and around the bucket bounds.
 */
final class Corpus {
  static final Duration PATIENCE = Duration.ofSeconds(90);

  private Corpus() {}

  /** {@code copies} copies of the corpus for {@code service}, ending now. */
  static List<SpanData> spans(String service, int copies) {
    long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    List<SpanData> spans = new ArrayList<>();
    Tracer tracer = tracer(service, "ecosystem-test", spans);
    for (int i = 0; i < copies; i++) {
      span(tracer, "GET /cart", SpanKind.SERVER, StatusCode.OK, now, 1_000_000L);
      span(tracer, "GET /cart", SpanKind.SERVER, StatusCode.OK, now, 2_000_000L); // on the 2 ms bound
      span(tracer, "GET /cart", SpanKind.SERVER, StatusCode.OK, now, 3_000_000L);
      span(tracer, "GET /cart", SpanKind.SERVER, StatusCode.ERROR, now, 10_000_000L);
      span(tracer, "GET /cart", SpanKind.SERVER, StatusCode.ERROR, now, 20_000_000_000L); // above every bound
      span(tracer, "GET /cart", SpanKind.SERVER, StatusCode.UNSET, now, 450_000_000L);
      for (int j = 0; j < 3; j++) {
        span(tracer, "charge", SpanKind.CLIENT, StatusCode.OK, now, 100_000_000L);
      }
      span(tracer, "charge", SpanKind.CLIENT, StatusCode.ERROR, now, 5_000_000_000L);
    }
    return spans;
  }

  /** Exports with {@code exporter} and fails unless it reports success; then shuts it down. */
  static void export(SpanExporter exporter, List<SpanData> spans) {
    try {
      CompletableResultCode result = exporter.export(spans).join(60, TimeUnit.SECONDS);
      assertThat(result.isSuccess()).as("the export was accepted").isTrue();
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  /** Waits until {@code store} holds exactly {@code copies} copies' numbers for {@code service}. */
  static void expect(PromQuery store, String metricPrefix, String histogram, String service, int copies) {
    String calls = metricPrefix + "_calls_total";
    Map<String, Double> series = Map.of(
        "span_name=\"GET /cart\",span_kind=\"SPAN_KIND_SERVER\",status_code=\"STATUS_CODE_OK\"", 3d,
        "span_name=\"GET /cart\",span_kind=\"SPAN_KIND_SERVER\",status_code=\"STATUS_CODE_ERROR\"", 2d,
        "span_name=\"GET /cart\",span_kind=\"SPAN_KIND_SERVER\",status_code=\"STATUS_CODE_UNSET\"", 1d,
        "span_name=\"charge\",span_kind=\"SPAN_KIND_CLIENT\",status_code=\"STATUS_CODE_OK\"", 3d,
        "span_name=\"charge\",span_kind=\"SPAN_KIND_CLIENT\",status_code=\"STATUS_CODE_ERROR\"", 1d);
    series.forEach((labels, count) -> store.awaitValue(
        "sum(" + calls + "{service_name=\"" + service + "\"," + labels + "})", count * copies, PATIENCE));
    store.awaitValue("count(" + calls + "{service_name=\"" + service + "\"})", 5, PATIENCE);
    String bucket = metricPrefix + "_" + histogram + "_bucket";
    Map<String, Double> buckets = Map.of("2", 2d, "4", 3d, "10", 4d, "100", 7d, "400", 7d, "800", 8d,
        "5000", 9d, "15000", 9d, "+Inf", 10d);
    buckets.forEach((le, count) -> store.awaitValue(
        "sum(" + bucket + "{service_name=\"" + service + "\",le=\"" + le + "\"})", count * copies, PATIENCE));
    store.awaitValue("sum(" + metricPrefix + "_" + histogram + "_count{service_name=\"" + service + "\"})",
        10d * copies, PATIENCE);
    store.awaitValue("round(sum(" + metricPrefix + "_" + histogram + "_sum{service_name=\"" + service + "\"}))",
        25_766d * copies, PATIENCE);
  }

  /** {@link #expect} for the job's default names. */
  static void expect(PromQuery store, String service, int copies) {
    expect(store, "llm_traces_span_metrics", "latency", service, copies);
  }
}
