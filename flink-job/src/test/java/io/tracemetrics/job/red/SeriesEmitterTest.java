package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.otlp.Dimensions;
import io.tracemetrics.sink.TimeSeries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class SeriesEmitterTest {
  private static final ServiceSpan KEY = new ServiceSpan("checkout", "GET /cart");
  private static final SeriesKey SERIES = new SeriesKey(2, 1, "", new String[0], false);

  @Test
  void theCollectorPresetWritesTheConnectorsNamesAndLabels() {
    List<TimeSeries> out = emit(new MetricNames(MetricNames.COLLECTOR_NAMESPACE, MetricNames.DURATION_MILLISECONDS, true));
    assertThat(out.get(0).metricName()).isEqualTo("traces_span_metrics_calls_total");
    assertThat(labels(out.get(0))).containsExactly(
        Map.entry("job", "checkout"), Map.entry("otel_scope_name", "spanmetricsconnector"),
        Map.entry("service_name", "checkout"), Map.entry("span_kind", "SPAN_KIND_SERVER"),
        Map.entry("span_name", "GET /cart"), Map.entry("status_code", "STATUS_CODE_OK"));
    assertThat(out.get(1).metricName()).isEqualTo("traces_span_metrics_duration_milliseconds_bucket");
    assertThat(out).allSatisfy(series -> assertThat(labels(series)).containsEntry("job", "checkout"));
  }

  @Test
  void withoutThePresetThereIsNoJobOrScopeLabel() {
    List<TimeSeries> out = emit(new MetricNames(MetricNames.DEFAULT_NAMESPACE, MetricNames.LATENCY));
    assertThat(out.get(0).metricName()).isEqualTo("llm_traces_span_metrics_calls_total");
    assertThat(out).allSatisfy(series ->
        assertThat(labels(series)).doesNotContainKeys("job", "otel_scope_name"));
  }

  private static List<TimeSeries> emit(MetricNames names) {
    List<TimeSeries> out = new ArrayList<>();
    long[] counts = new long[LatencyBuckets.FIRST_BUCKET + OneSpan.BUCKETS.bucketCount()];
    counts[LatencyBuckets.COUNT] = 1;
    new SeriesEmitter(names, OneSpan.BUCKETS, Dimensions.of(List.of())).emit(KEY, SERIES, counts, 10_000L,
        new Collector<>() {
          @Override
          public void collect(TimeSeries record) {
            out.add(record);
          }

          @Override
          public void close() {}
        });
    return out;
  }

  private static Map<String, String> labels(TimeSeries series) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < series.labelCount(); i++) {
      labels.put(series.labelName(i), series.labelValue(i));
    }
    return labels;
  }
}
