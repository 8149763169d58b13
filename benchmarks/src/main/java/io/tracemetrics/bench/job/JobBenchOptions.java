package io.tracemetrics.bench.job;

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
    Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      String name = arg.substring(2, arg.indexOf('='));
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "; options: " + DEFAULTS.keySet());
      }
      values.put(name, arg.substring(arg.indexOf('=') + 1));
    }
    List<String> modes = List.of(values.get("modes").split(","));
    for (String mode : modes) {
      if (!MODES.contains(mode)) {
        throw new IllegalArgumentException("unknown mode '" + mode + "'; modes: " + MODES);
      }
    }
    JobBenchOptions options = new JobBenchOptions(
        modes,
        positive(values, "spans"),
        positive(values, "spans-per-record"),
        positive(values, "services"),
        positive(values, "span-names"),
        Integer.parseInt(values.get("error-percent")),
        positive(values, "event-minutes"),
        positive(values, "partitions"),
        positive(values, "rounds"),
        List.of(values.get("memory-series").split(",")).stream().map(Integer::parseInt).toList(),
        positive(values, "memory-series-per-key"),
        positive(values, "freshness-spans-per-second"),
        positive(values, "freshness-seconds"),
        positive(values, "freshness-series"),
        values.get("report"));
    if (options.errorPercent() < 0 || options.errorPercent() > 100) {
      throw new IllegalArgumentException("--error-percent must be 0..100");
    }
    return options;
  }

  static String usage() {
    StringBuilder usage = new StringBuilder("JobBench [--name=value ...]; options and defaults:\n");
    DEFAULTS.forEach((name, value) -> usage.append("  --").append(name).append('=').append(value).append('\n'));
    return usage.toString();
  }

  private static int positive(Map<String, String> values, String name) {
    int value = Integer.parseInt(values.get(name));
    if (value <= 0) {
      throw new IllegalArgumentException("--" + name + " must be positive: " + value);
    }
    return value;
  }
}
