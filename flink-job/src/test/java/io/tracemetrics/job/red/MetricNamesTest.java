package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricNamesTest {
  @Test
  void defaultNamespaceGivesTheContractNames() {
    MetricNames names = new MetricNames(MetricNames.DEFAULT_NAMESPACE, MetricNames.LATENCY);
    assertThat(names.calls).isEqualTo("llm_traces_span_metrics_calls_total");
    assertThat(names.bucket).isEqualTo("llm_traces_span_metrics_latency_bucket");
    assertThat(names.sum).isEqualTo("llm_traces_span_metrics_latency_sum");
    assertThat(names.count).isEqualTo("llm_traces_span_metrics_latency_count");
  }

  @Test
  void collectorHistogramNameAndOddNamespaces() {
    MetricNames names = new MetricNames("traces.span-metrics", MetricNames.DURATION_MILLISECONDS);
    assertThat(names.bucket).isEqualTo("traces_span_metrics_duration_milliseconds_bucket");
    assertThat(new MetricNames("1x", MetricNames.LATENCY).calls).isEqualTo("_1x_calls_total");
  }
}
