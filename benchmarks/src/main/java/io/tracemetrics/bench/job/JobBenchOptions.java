package io.tracemetrics.bench.job;

import io.tracemetrics.bench.BenchArgs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of {@link JobBench}, from {@code --name=value} flags. Every option has a default, listed by
 * {@code --help}.
 */
record JobBenchOptions(
    List<String> modes,
    int spans,
    int spansPerRecord,
    int services,
    int spanNames,
    int errorPercent,
    int eventMinutes,
    int partitions,
    int rounds,
    List<Integer> memorySeries,
    int memorySeriesPerKey,
    int freshnessSpansPerSecond,
    int freshnessSeconds,
    int freshnessSeries,
    String reportFile) {

  static final Map<String, String> DEFAULTS = defaults();
  static final List<String> MODES = List.of("throughput", "memory", "freshness");

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("modes", "throughput,memory,freshness");
    d.put("spans", "8000000");
    d.put("spans-per-record", "200");
    d.put("services", "10");
    d.put("span-names", "20");
    d.put("error-percent", "5");
    d.put("event-minutes", "3");
    d.put("partitions", "2");
    d.put("rounds", "5");
    d.put("memory-series", "100000,1000000");
    d.put("memory-series-per-key", "2");
    d.put("freshness-spans-per-second", "20000");
    d.put("freshness-seconds", "60");
    d.put("freshness-series", "50");
    d.put("report", "target/job-bench.md");
    return d;
  }

  static JobBenchOptions parse(String... args) {
    BenchArgs values = BenchArgs.parse(DEFAULTS, args);
    List<String> modes = List.of(values.text("modes").split(","));
    for (String mode : modes) {
      if (!MODES.contains(mode)) {
        throw new IllegalArgumentException("unknown mode '" + mode + "'; modes: " + MODES);
      }
    }
    JobBenchOptions options = new JobBenchOptions(
        modes,
        values.positive("spans"),
        values.positive("spans-per-record"),
        values.positive("services"),
        values.positive("span-names"),
        values.integer("error-percent"),
        values.positive("event-minutes"),
        values.positive("partitions"),
        values.positive("rounds"),
        List.of(values.text("memory-series").split(",")).stream().map(Integer::parseInt).toList(),
        values.positive("memory-series-per-key"),
        values.positive("freshness-spans-per-second"),
        values.positive("freshness-seconds"),
        values.positive("freshness-series"),
        values.text("report"));
    if (options.errorPercent() < 0 || options.errorPercent() > 100) {
      throw new IllegalArgumentException("--error-percent must be 0..100");
    }
    return options;
  }

  static String usage() {
    return BenchArgs.usage("JobBench", DEFAULTS);
  }
}
