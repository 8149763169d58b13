package io.tracemetrics.gateway.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

/**
 * A tiny registry of counters, gauges and histograms rendered in the Prometheus text exposition format
 * (version 0.0.4). Hand-written so the gateway needs no metrics library; it only has to be correct for
 * the handful of instruments the gateway declares.
 */
public final class MetricsRegistry {
  private final List<Metric> metrics = new CopyOnWriteArrayList<>();

  /** Registers a counter; {@code labelNames} fixes the label names, values are given at increment. */
  Counter counter(String name, String help, String... labelNames) {
    return register(new Counter(name, help, List.of(labelNames)));
  }

  /** Registers a gauge whose value is read from {@code value} at every scrape. */
  void gauge(String name, String help, DoubleSupplier value) {
    register(new Gauge(name, help, value));
  }

  /** Registers a histogram without labels; {@code upperBounds} must be strictly increasing. */
  Histogram histogram(String name, String help, double... upperBounds) {
    return register(new Histogram(name, help, upperBounds));
  }

  /** Renders every registered metric, in registration order. */
  public String scrape() {
    StringBuilder out = new StringBuilder(4096);
    for (Metric metric : metrics) {
      out.append("# HELP ").append(metric.name()).append(' ').append(escapeHelp(metric.help())).append('\n');
      out.append("# TYPE ").append(metric.name()).append(' ').append(metric.type()).append('\n');
      metric.writeSamples(out);
    }
    return out.toString();
  }

  private <T extends Metric> T register(T metric) {
    Objects.requireNonNull(metric.name(), "name");
    if (!metric.name().matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException("invalid metric name: " + metric.name());
    }
    for (Metric existing : metrics) {
      if (existing.name().equals(metric.name())) {
        throw new IllegalArgumentException("metric registered twice: " + metric.name());
      }
    }
    metrics.add(metric);
    return metric;
  }

  static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }

  static String escapeLabelValue(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  static void appendLabels(StringBuilder out, List<String> names, List<String> values) {
    if (names.isEmpty()) {
      return;
    }
    out.append('{');
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(names.get(i)).append("=\"").append(escapeLabelValue(values.get(i))).append('"');
    }
    out.append('}');
  }

  static String formatValue(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  /** What every instrument can do for the scrape. */
  abstract static class Metric {
    private final String name;
    private final String help;

    Metric(String name, String help) {
      this.name = name;
      this.help = Objects.requireNonNull(help, "help");
    }

    final String name() {
      return name;
    }

    final String help() {
      return help;
    }

    abstract String type();

    abstract void writeSamples(StringBuilder out);
  }

  /** A gauge read from a supplier at scrape time. */
  static final class Gauge extends Metric {
    private final DoubleSupplier value;

    Gauge(String name, String help, DoubleSupplier value) {
      super(name, help);
      this.value = Objects.requireNonNull(value, "value");
    }

    @Override
    String type() {
      return "gauge";
    }

    @Override
    void writeSamples(StringBuilder out) {
      out.append(name()).append(' ').append(formatValue(value.getAsDouble())).append('\n');
    }
  }

  static List<String> copyOf(String[] values) {
    List<String> list = new ArrayList<>(values.length);
    for (String value : values) {
      list.add(Objects.requireNonNull(value, "label value"));
    }
    return List.copyOf(list);
  }
}
