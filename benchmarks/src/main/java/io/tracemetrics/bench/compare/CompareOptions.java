package io.tracemetrics.bench.compare;

import io.tracemetrics.bench.BenchArgs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of {@link BenchCompare}, from {@code --name=value} flags; every one has a default, listed by
 * {@code --help}. {@code --quick=true} replaces the durations and series levels by a smoke run's (a minute or
 * two per stack) unless they are given too.
 */
record CompareOptions(
    List<StackKind> stacks,
    List<Long> seriesLevels,
    boolean everyMeasure,
    int spansPerRequest,
    double httpShare,
    int httpSenders,
    int grpcSenders,
    double startRate,
    double rateFactor,
    double maxRate,
    Duration stepDuration,
    Duration holdDuration,
    Duration freshnessDuration,
    Duration restartDuration,
    Duration overloadDuration,
    Duration levelTimeout,
    Duration ceilingDuration,
    String reportFile) {

  static final Map<String, String> DEFAULTS = defaults();
  private static final Map<String, String> QUICK = Map.of(
      "series", "1000",
      "rate-factor", "2",
      "step-seconds", "5",
      "hold-seconds", "10",
      "freshness-seconds", "40",
      "restart-seconds", "30",
      "overload-seconds", "10",
      "ceiling-seconds", "10");

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("quick", "false");
    d.put("stacks", "seed,collector-rw,pipeline,pipeline-tuned");
    d.put("series", "1000,100000,1000000");
    d.put("measures", "all");
    d.put("spans-per-request", "500");
    d.put("http-share", "0.5");
    d.put("http-senders", "24");
    d.put("grpc-senders", "8");
    d.put("start-rate", "10000");
    d.put("rate-factor", "1.5");
    d.put("max-rate", "3000000");
    d.put("step-seconds", "15");
    d.put("hold-seconds", "60");
    d.put("freshness-seconds", "130");
    d.put("restart-seconds", "150");
    d.put("overload-seconds", "60");
    d.put("level-timeout-seconds", "1200");
    d.put("ceiling-seconds", "20");
    d.put("report", "target/compare-bench.md");
    return d;
  }

  static CompareOptions parse(String... args) {
    BenchArgs given = BenchArgs.parse(DEFAULTS, args);
    Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
    if (Boolean.parseBoolean(given.text("quick"))) {
      values.putAll(QUICK);
    }
    for (String arg : args) {
      values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    BenchArgs v = BenchArgs.parse(values);
    CompareOptions options = new CompareOptions(
        List.of(v.text("stacks").split(",")).stream().map(StackKind::of).toList(),
        List.of(v.text("series").split(",")).stream().map(Long::parseLong).toList(),
        measures(v.text("measures")),
        v.positive("spans-per-request"),
        Double.parseDouble(v.text("http-share")),
        v.integer("http-senders"),
        v.integer("grpc-senders"),
        Double.parseDouble(v.text("start-rate")),
        Double.parseDouble(v.text("rate-factor")),
        Double.parseDouble(v.text("max-rate")),
        seconds(v, "step-seconds"),
        seconds(v, "hold-seconds"),
        seconds(v, "freshness-seconds"),
        seconds(v, "restart-seconds"),
        seconds(v, "overload-seconds"),
        seconds(v, "level-timeout-seconds"),
        seconds(v, "ceiling-seconds"),
        v.text("report"));
    if (options.httpShare() < 0 || options.httpShare() > 1) {
      throw new IllegalArgumentException("--http-share must be within 0..1");
    }
    if (options.rateFactor() <= 1) {
      throw new IllegalArgumentException("--rate-factor must be above 1");
    }
    if (options.seriesLevels().isEmpty() || options.seriesLevels().stream().anyMatch(s -> s < 1)) {
      throw new IllegalArgumentException("--series needs one or more counts above 0");
    }
    return options;
  }

  static String usage() {
    return BenchArgs.usage("BenchCompare", DEFAULTS);
  }

  /** {@code all}, or {@code sustained} for the sustained rate and its cost alone (quicker experiments). */
  private static boolean measures(String value) {
    if (!value.equals("all") && !value.equals("sustained")) {
      throw new IllegalArgumentException("--measures is all or sustained, got " + value);
    }
    return value.equals("all");
  }

  private static Duration seconds(BenchArgs values, String name) {
    return Duration.ofSeconds(values.positive(name));
  }
}
