package io.tracemetrics.gateway.metrics;

import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A cumulative histogram without labels, in the Prometheus {@code _bucket/_sum/_count} shape. */
final class Histogram extends MetricsRegistry.Metric {
  private final double[] upperBounds;
  private final LongAdder[] buckets;
  private final LongAdder count = new LongAdder();
  private final DoubleAdder sum = new DoubleAdder();

  Histogram(String name, String help, double[] upperBounds) {
    super(name, help);
    for (int i = 1; i < upperBounds.length; i++) {
      if (upperBounds[i] <= upperBounds[i - 1]) {
        throw new IllegalArgumentException("bucket bounds must increase: " + name);
      }
    }
    this.upperBounds = upperBounds.clone();
    this.buckets = new LongAdder[upperBounds.length];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  /** Records one observation. */
  void observe(double value) {
    // Each observation lands in its first matching bucket; the scrape accumulates.
    for (int i = 0; i < upperBounds.length; i++) {
      if (value <= upperBounds[i]) {
        buckets[i].increment();
        break;
      }
    }
    count.increment();
    sum.add(value);
  }

  /** Number of observations so far. */
  long count() {
    return count.sum();
  }

  @Override
  String type() {
    return "histogram";
  }

  @Override
  void writeSamples(StringBuilder out) {
    // Read count first: a concurrent observe may then only make buckets <= count, never > +Inf.
    long total = count.sum();
    double totalSum = sum.sum();
    long cumulative = 0;
    for (int i = 0; i < upperBounds.length; i++) {
      cumulative = Math.min(total, cumulative + buckets[i].sum());
      writeBucket(out, MetricsRegistry.formatValue(upperBounds[i]), cumulative);
    }
    writeBucket(out, "+Inf", total);
    out.append(name()).append("_sum ").append(MetricsRegistry.formatValue(totalSum)).append('\n');
    out.append(name()).append("_count ").append(total).append('\n');
  }

  private void writeBucket(StringBuilder out, String le, long value) {
    out.append(name()).append("_bucket");
    MetricsRegistry.appendLabels(out, List.of("le"), List.of(le));
    out.append(' ').append(value).append('\n');
  }
}
