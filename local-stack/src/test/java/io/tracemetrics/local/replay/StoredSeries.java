package io.tracemetrics.local.replay;

import io.tracemetrics.local.store.RawSample;
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

  /** The value at the newest timestamp (the last one written there when a store keeps duplicates). */
  static RawSample last(List<RawSample> samples) {
    return samples.get(samples.size() - 1);
  }

  /** Samples at distinct timestamps where the value went down from the one before. */
  static List<List<RawSample>> decreases(List<RawSample> samples) {
    List<List<RawSample>> decreases = new ArrayList<>();
    for (int i = 1; i < samples.size(); i++) {
      RawSample before = samples.get(i - 1);
      RawSample sample = samples.get(i);
      if (sample.timestampMillis() > before.timestampMillis() && sample.value() < before.value()) {
        decreases.add(List.of(before, sample));
      }
    }
    return decreases;
  }
}
