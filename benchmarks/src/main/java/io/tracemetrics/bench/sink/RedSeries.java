package io.tracemetrics.bench.sink;

import io.tracemetrics.sink.TimeSeries;
import java.util.function.Consumer;

/**
 * The series a RED job writes per window: for each span series (service, span name, kind, status,
 * region) a calls counter, 17 latency buckets, a latency sum and count, so {@value #SERIES_PER_SPAN}
 * series of one sample and about six labels each, cumulative values. SinkBench and EncodeBenchmark both
 * write it.
 */
final class RedSeries {
  static final int SERIES_PER_SPAN = 20;
  private static final String PREFIX = "llm_traces_span_metrics_";
  private static final String[] BOUNDS = {"2", "4", "6", "8", "10", "50", "100", "200", "400", "800",
      "1000", "1400", "2000", "5000", "10000", "15000", "+Inf"};
  private static final String[] STATUS = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};

  private final int spanSeries;
  private final long baseMillis;
  private final long stepMillis;

  RedSeries(int spanSeries, long baseMillis, long stepMillis) {
    this.spanSeries = spanSeries;
    this.baseMillis = baseMillis;
    this.stepMillis = stepMillis;
  }

  int samplesPerWindow() {
    return spanSeries * SERIES_PER_SPAN;
  }

  /** Emits every series of window {@code w}, each with one sample at the window's end. */
  void window(long w, Consumer<TimeSeries> out) {
    long timestamp = baseMillis + w * stepMillis;
    for (int s = 0; s < spanSeries; s++) {
      String service = "service-" + (s % 50);
      String span = "GET /api/v1/resource/" + (s / 50);
      String status = STATUS[s % STATUS.length];
      long calls = (w + 1) * (s % 97 + 1);
      out.accept(labels(TimeSeries.builder(PREFIX + "calls_total"), service, span, status)
          .sample(calls, timestamp).build());
      for (int b = 0; b < BOUNDS.length; b++) {
        out.accept(labels(TimeSeries.builder(PREFIX + "latency_bucket"), service, span, status)
            .label("le", BOUNDS[b]).sample(calls * (b + 1) / BOUNDS.length, timestamp).build());
      }
      out.accept(labels(TimeSeries.builder(PREFIX + "latency_sum"), service, span, status)
          .sample(calls * 37.5, timestamp).build());
      out.accept(labels(TimeSeries.builder(PREFIX + "latency_count"), service, span, status)
          .sample(calls, timestamp).build());
    }
  }

  private static TimeSeries.Builder labels(TimeSeries.Builder builder, String service, String span,
      String status) {
    return builder.label("service_name", service).label("span_name", span)
        .label("span_kind", "SPAN_KIND_SERVER").label("status_code", status).label("region", "eu-west-1");
  }
}
