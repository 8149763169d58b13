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

  final String calls;
  final String bucket;
  final String sum;
  final String count;

  /**
   * @param namespace the prefix, e.g. {@value #DEFAULT_NAMESPACE}
   * @param histogram {@value #LATENCY} or {@value #DURATION_MILLISECONDS}
   */
  public MetricNames(String namespace, String histogram) {
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
