package io.tracemetrics.sink;

import org.apache.flink.api.java.functions.KeySelector;

/**
 * Hashes metric name and labels with {@link String#hashCode()}, which the Java language specifies, so
 * the key of a series is the same in every JVM and across restarts.
 */
final class SeriesKeySelector implements KeySelector<TimeSeries, Integer> {
  private static final long serialVersionUID = 1L;

  @Override
  public Integer getKey(TimeSeries series) {
    int h = series.metricName().hashCode();
    for (int i = 0; i < series.labelCount(); i++) {
      // Names and values are mixed in as separate steps, so {a="bc"} and {ab="c"} differ.
      h = 31 * (31 * h + series.labelName(i).hashCode()) + series.labelValue(i).hashCode();
    }
    return h;
  }
}
