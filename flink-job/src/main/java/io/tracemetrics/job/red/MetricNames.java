package io.tracemetrics.job.red;

import java.io.Serializable;

/**
 * The metric names for a namespace. {@code llm_traces.span_metrics} becomes
 * {@code llm_traces_span_metrics_calls_total} and {@code llm_traces_span_metrics_latency_bucket}: every
 * character a Prometheus metric name cannot hold becomes an underscore.
 */
public final class MetricNames implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The contract's namespace. */
  public static final String DEFAULT_NAMESPACE = "llm_traces.span_metrics";
  /** The histogram's name after the namespace: the contract's, or the Collector's. */
  public static final String LATENCY = "latency";
  public static final String DURATION_MILLISECONDS = "duration_milliseconds";
  /** The Collector's spanmetrics connector's namespace. */
  public static final String COLLECTOR_NAMESPACE = "traces.span.metrics";
  /** The instrumentation scope the connector's metrics carry, written as {@code otel_scope_name}. */
  public static final String COLLECTOR_SCOPE_NAME = "spanmetricsconnector";

  final String calls;
  final String bucket;
  final String sum;
  final String count;
  /**
   * Also write the labels the Collector's remote-write path adds to the connector's series:
   * {@code job} (the service name, from the resource's {@code service.name}) and
   * {@code otel_scope_name="spanmetricsconnector"}.
   */
  final boolean collectorLabels;

  /**
   * @param namespace the prefix, e.g. {@value #DEFAULT_NAMESPACE}
   * @param histogram {@value #LATENCY} or {@value #DURATION_MILLISECONDS}
   */
  public MetricNames(String namespace, String histogram) {
    this(namespace, histogram, false);
  }

  /** As {@link #MetricNames(String, String)}, with the Collector's {@link #collectorLabels} or not. */
  public MetricNames(String namespace, String histogram, boolean collectorLabels) {
    this.collectorLabels = collectorLabels;
    String prefix = sanitize(namespace);
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("the metric namespace must not be empty");
    }
    if (Character.isDigit(prefix.charAt(0))) {
      prefix = "_" + prefix;
    }
    String histogramName = prefix + "_" + sanitize(histogram);
    calls = prefix + "_calls_total";
    bucket = histogramName + "_bucket";
    sum = histogramName + "_sum";
    count = histogramName + "_count";
  }

  /** The calls counter's name, e.g. {@code llm_traces_span_metrics_calls_total}. */
  public String calls() {
    return calls;
  }

  /** The histogram buckets' name, e.g. {@code llm_traces_span_metrics_latency_bucket}. */
  public String bucket() {
    return bucket;
  }

  /** Whether the series also carry the Collector's {@code job} and {@code otel_scope_name} labels. */
  public boolean collectorLabels() {
    return collectorLabels;
  }

  static String sanitize(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
      out.append(allowed ? c : '_');
    }
    return out.toString();
  }
}
