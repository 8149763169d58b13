package io.tracemetrics.bench;

import java.util.Arrays;
import java.util.Map;

/**
 * What one measured window of a benchmark achieved: spans over wall seconds, and the CPU seconds of what is
 * measured. A load harness also records requests, refusals, latency percentiles and the cores each metered
 * process (and the whole machine) used; a throughput harness leaves them empty.
 */
public record PhaseResult(String name, long requests, long spans, long refused, double seconds, double p50Millis,
    double p99Millis, double cpuSeconds, Map<String, Double> coresByMeter) {

  public PhaseResult {
    coresByMeter = Map.copyOf(coresByMeter);
  }

  /** A window of a throughput harness: spans processed, wall time and CPU time. */
  public static PhaseResult of(String name, long spans, double seconds, double cpuSeconds) {
    return new PhaseResult(name, 0, spans, 0, seconds, Double.NaN, Double.NaN, cpuSeconds, Map.of());
  }

  /** A window of a load harness: one latency per answered request, each request {@code spansPerRequest}. */
  public static PhaseResult ofRequests(String name, long[] latenciesNanos, long refused, int spansPerRequest,
      double seconds, double cpuSeconds, Map<String, Double> cores) {
    long[] sorted = latenciesNanos.clone();
    Arrays.sort(sorted);
    return new PhaseResult(name, sorted.length, (long) sorted.length * spansPerRequest, refused, seconds,
        percentile(sorted, 0.50), percentile(sorted, 0.99), cpuSeconds, cores);
  }

  /** Cores the named meter used on average in the window; NaN when it was not metered. */
  public double coresOf(String meter) {
    return coresByMeter.getOrDefault(meter, Double.NaN);
  }

  public double spansPerSecond() {
    return spans / seconds;
  }

  /** Cores the measured process used on average; NaN when its CPU was not measured. */
  public double cores() {
    return cpuSeconds / seconds;
  }

  public double spansPerCoreSecond() {
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
