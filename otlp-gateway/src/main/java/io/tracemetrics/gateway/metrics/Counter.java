package io.tracemetrics.gateway.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A monotonic counter with a fixed set of label names; one series per distinct label-value tuple. */
final class Counter extends MetricsRegistry.Metric {
  private final List<String> labelNames;
  private final Map<List<String>, LongAdder> series = new ConcurrentHashMap<>();

  Counter(String name, String help, List<String> labelNames) {
    super(name, help);
    this.labelNames = List.copyOf(labelNames);
  }

  /** Adds one to the series named by {@code labelValues} (one value per label name, in order). */
  void inc(String... labelValues) {
    add(1, labelValues);
  }

  /** Adds {@code amount} (must be >= 0) to the series named by {@code labelValues}. */
  void add(long amount, String... labelValues) {
    if (amount < 0) {
      throw new IllegalArgumentException("counters only go up: " + amount);
    }
    if (labelValues.length != labelNames.size()) {
      throw new IllegalArgumentException(
          name() + " expects labels " + labelNames + " but got " + labelValues.length + " values");
    }
    series.computeIfAbsent(MetricsRegistry.copyOf(labelValues), k -> new LongAdder()).add(amount);
  }

  /** The current value of one series; 0 when it never was incremented. */
  long value(String... labelValues) {
    LongAdder adder = series.get(List.of(labelValues));
    return adder == null ? 0 : adder.sum();
  }

  @Override
  String type() {
    return "counter";
  }

  @Override
  void writeSamples(StringBuilder out) {
    List<Map.Entry<List<String>, LongAdder>> entries = new ArrayList<>(series.entrySet());
    entries.sort(Comparator.comparing(e -> String.join("\u0000", e.getKey())));
    for (Map.Entry<List<String>, LongAdder> entry : entries) {
      out.append(name());
      MetricsRegistry.appendLabels(out, labelNames, entry.getKey());
      out.append(' ').append(entry.getValue().sum()).append('\n');
    }
  }
}
