package io.tracemetrics.local.bench;

import java.util.Arrays;
import java.util.Map;

/**
 * What one measured window achieved. {@code cpuSeconds} is the CPU time of the process whose efficiency is
 * measured; {@code coresByMeter} the cores each metered process (and the whole machine) used on average.
 */
record PhaseResult(String name, long requests, long spans, long refused, double seconds, double p50Millis,
    double p99Millis, double cpuSeconds, Map<String, Double> coresByMeter) {

  static PhaseResult of(String name, long[] latenciesNanos, long refused, int spansPerRequest, double seconds,
      double cpuSeconds, Map<String, Double> cores) {
    long[] sorted = latenciesNanos.clone();
    Arrays.sort(sorted);
    return new PhaseResult(name, sorted.length, (long) sorted.length * spansPerRequest, refused, seconds,
        percentile(sorted, 0.50), percentile(sorted, 0.99), cpuSeconds, Map.copyOf(cores));
  }

  /** Cores the named meter used on average in the window; NaN when it was not metered. */
  double coresOf(String meter) {
    return coresByMeter.getOrDefault(meter, Double.NaN);
  }

  double spansPerSecond() {
    return spans / seconds;
  }

  /** Cores the measured process used on average; NaN when its CPU was not measured. */
  double cores() {
    return cpuSeconds / seconds;
  }

  double spansPerCoreSecond() {
    return spans / cpuSeconds;
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
