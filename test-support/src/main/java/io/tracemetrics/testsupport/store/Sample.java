package io.tracemetrics.testsupport.store;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * One element of an instant-query result: the series' labels (with {@code __name__} where the store keeps
 * it), the value and the evaluation timestamp in milliseconds.
 */
public record Sample(Map<String, String> labels, double value, long timestampMillis) {

  public Sample {
    labels = Map.copyOf(requireNonNull(labels, "labels"));
  }

  /** The value of label {@code name}, or null when the series has no such label. */
  public String label(String name) {
    return labels.get(name);
  }

  /** Labels sorted by name, so two results print alike whatever order the store sent them in. */
  @Override
  public String toString() {
    return new TreeMap<>(labels) + " " + value + " @" + timestampMillis;
  }
}
