package io.tracemetrics.bench.job;

import io.tracemetrics.bench.PhaseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The benchmark's Markdown report, one section per mode that ran. */
final class JobBenchReport {
  static final int TARGET_SPANS_PER_CORE = 300_000;
  static final double TARGET_SHARE_OF_CEILING = 0.6;
  static final int TARGET_BYTES_PER_SERIES = 1024;
  /**
   * Out-of-orderness + checkpoint interval (the job's defaults: a window is written once a checkpoint taken
   * after it closed completes) + 3 s.
   */
  static final long TARGET_FRESHNESS_MILLIS = 2_000 + 10_000 + 3_000;

  private final StringBuilder out = new StringBuilder();

  JobBenchReport(JobBenchOptions options) {
    out.append("# Flink job benchmark\n\n")
        .append(String.format(Locale.ROOT, "%d cores, Java %s, max heap %d MiB; options %s%n%n",
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
            Runtime.getRuntime().maxMemory() >> 20, options));
  }

  void throughput(List<PhaseResult> phases) {
    out.append("## Throughput at parallelism 1 (pre-filled topic)\n\n")
        .append("| phase | spans | wall s | CPU s | cores used | spans/s | spans/s per core |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (PhaseResult p : phases) {
      out.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.2f | %,.0f | %,.0f |%n", p.name(), p.spans(),
          p.seconds(), p.cpuSeconds(), p.cores(), p.spansPerSecond(), p.spansPerCoreSecond()));
    }
    double ceilingPerCore = median(phases, ThroughputBench.CEILING, PhaseResult::spansPerCoreSecond);
    double jobPerCore = median(phases, ThroughputBench.JOB, PhaseResult::spansPerCoreSecond);
    double share = jobPerCore / ceilingPerCore;
    out.append(String.format(Locale.ROOT, "%nMedians: ceiling %,.0f and whole job %,.0f spans/s per core"
            + " (%,.0f and %,.0f spans/s). Whole job per core: target ≥ %,d: %s; %.0f %% of the ceiling"
            + " (target ≥ %.0f %%: %s).%n%n",
        ceilingPerCore, jobPerCore, median(phases, ThroughputBench.CEILING, PhaseResult::spansPerSecond),
        median(phases, ThroughputBench.JOB, PhaseResult::spansPerSecond), TARGET_SPANS_PER_CORE,
        verdict(jobPerCore >= TARGET_SPANS_PER_CORE), share * 100, TARGET_SHARE_OF_CEILING * 100,
        verdict(share >= TARGET_SHARE_OF_CEILING)));
  }

  static double median(List<PhaseResult> phases, String prefix, ToDoubleFunction<PhaseResult> value) {
    double[] values = phases.stream().filter(p -> p.name().startsWith(prefix)).mapToDouble(value).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  void memory(List<MemoryBench.Result> results) {
    out.append(String.format(Locale.ROOT, "## Heap per active series (sums, series limit and aggregator with the job defaults, heap state backend, %d series"
            + " per key)%n%n", results.get(0).seriesPerKey()))
        .append("| series | bytes per series | target ≤ 1 KiB | seconds |\n|---:|---:|---|---:|\n");
    for (MemoryBench.Result r : results) {
      out.append(String.format(Locale.ROOT, "| %,d | %,.0f | %s | %.1f |%n", r.series(), r.bytesPerSeries(),
          verdict(r.bytesPerSeries() <= TARGET_BYTES_PER_SERIES), r.seconds()));
    }
    MemoryBench.Result largest = results.get(results.size() - 1);
    out.append(String.format(Locale.ROOT, "%nLargest growth by class at %,d series (bytes per series):%n%n",
        largest.series()));
    out.append("| class | instances per series | bytes per series |\n|---|---:|---:|\n");
    for (HeapHistogram.Entry e : largest.top()) {
      out.append(String.format(Locale.ROOT, "| `%s` | %.2f | %.0f |%n", e.className(),
          e.instances() / (double) largest.series(), e.bytes() / (double) largest.series()));
    }
    out.append('\n');
  }

  void freshness(FreshnessBench.Result result, JobBenchOptions options) {
    List<Long> sorted = new ArrayList<>(result.latenciesMillis());
    sorted.sort(null);
    long p50 = percentile(sorted, 0.50);
    long p99 = percentile(sorted, 0.99);
    out.append("## Freshness (window end → all its samples queryable in VictoriaMetrics)\n\n")
        .append(String.format(Locale.ROOT, "%,.0f spans/s live over %d series, %d windows of 10 s, job JVM %.2f"
                + " cores (producer included); latencies ms: %s%n%n", result.spansPerSecond(),
            options.freshnessSeries(), sorted.size(), result.cores(), result.latenciesMillis()))
        .append(String.format(Locale.ROOT, "p50 %d ms, p99 %d ms (target p99 ≤ %d ms: %s)%n%n", p50, p99,
            TARGET_FRESHNESS_MILLIS, verdict(p99 <= TARGET_FRESHNESS_MILLIS)));
  }

  /** Nearest-rank percentile of sorted values. */
  static long percentile(List<Long> sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static String verdict(boolean met) {
    return met ? "met" : "NOT met";
  }

  String render() {
    return out.toString();
  }
}
