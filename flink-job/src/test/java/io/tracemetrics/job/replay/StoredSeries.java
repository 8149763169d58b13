package io.tracemetrics.job.replay;

import io.tracemetrics.testsupport.store.RawSample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The samples one store holds for a seed's services, read raw, by series labels (name included). */
record StoredSeries(String store, Map<Map<String, String>, List<RawSample>> series) {

  static String selector(String prefix) {
    return "{__name__=~\"llm_traces_span_metrics_.*\",service_name=~\"" + prefix + ".*\"}";
  }

  /** Series of one metric name. */
  Map<Map<String, String>, List<RawSample>> named(String name) {
    Map<Map<String, String>, List<RawSample>> named = new LinkedHashMap<>();
    series.forEach((labels, samples) -> {
      if (name.equals(labels.get("__name__"))) {
        named.put(labels, samples);
      }
    });
    return named;
  }

  int sampleCount() {
    return series.values().stream().mapToInt(List::size).sum();
  }

  static boolean overflow(Map<String, String> labels) {
    return "true".equals(labels.get(Oracle.OVERFLOW_LABEL));
  }

  /**
   * The value at the newest timestamp that holds one (the last one written there when a store keeps
   * duplicates): staleness markers (NaN), which end a series when it expires, are not values.
   */
  static RawSample last(List<RawSample> samples) {
    for (int i = samples.size() - 1; i > 0; i--) {
      if (!Double.isNaN(samples.get(i).value())) {
        return samples.get(i);
      }
    }
    return samples.get(0);
  }

  /** Samples at distinct timestamps where the value went down from the one before (markers skipped). */
  static List<List<RawSample>> decreases(List<RawSample> samples) {
    List<List<RawSample>> decreases = new ArrayList<>();
    RawSample before = null;
    for (RawSample sample : samples) {
      if (Double.isNaN(sample.value())) {
        continue;
      }
      if (before != null && sample.timestampMillis() > before.timestampMillis() && sample.value() < before.value()) {
        decreases.add(List.of(before, sample));
      }
      before = sample;
    }
    return decreases;
  }
}
