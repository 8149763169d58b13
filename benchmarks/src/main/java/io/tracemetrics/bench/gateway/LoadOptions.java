package io.tracemetrics.bench.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of {@link GatewayLoad}, from {@code --name=value} flags. Every option has a default, listed by
 * {@code --help}.
 */
record LoadOptions(
    Duration duration,
    Duration warmup,
    int rounds,
    Duration settle,
    int httpSenders,
    int grpcSenders,
    int spansPerRequest,
    int services,
    int spanNames,
    int distinctRequests,
    int partitions,
    int gatewayHeapMb,
    String brokerDir,
    String reportFile) {

  static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("duration-seconds", "15");
    d.put("warmup-seconds", "30");
    d.put("rounds", "5");
    d.put("settle-seconds", "3");
    d.put("http-senders", "16");
    d.put("grpc-senders", "0");
    d.put("spans-per-request", "500");
    d.put("services", "20");
    d.put("span-names", "50");
    d.put("distinct-requests", "64");
    d.put("partitions", "4");
    d.put("gateway-heap-mb", "1024");
    d.put("broker-dir", "/dev/shm");
    d.put("report", "target/gateway-bench.md");
    return d;
  }

  static LoadOptions parse(String... args) {
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
    LoadOptions options = new LoadOptions(
        Duration.ofSeconds(positive(values, "duration-seconds")),
        Duration.ofSeconds(Integer.parseInt(values.get("warmup-seconds"))),
        positive(values, "rounds"),
        Duration.ofSeconds(Integer.parseInt(values.get("settle-seconds"))),
        Integer.parseInt(values.get("http-senders")),
        Integer.parseInt(values.get("grpc-senders")),
        positive(values, "spans-per-request"),
        positive(values, "services"),
        positive(values, "span-names"),
        positive(values, "distinct-requests"),
        positive(values, "partitions"),
        positive(values, "gateway-heap-mb"),
        values.get("broker-dir"),
        values.get("report"));
    if (options.httpSenders() + options.grpcSenders() < 1) {
      throw new IllegalArgumentException("need at least one HTTP or gRPC sender");
    }
    return options;
  }

  int senders() {
    return httpSenders + grpcSenders;
  }

  /**
   * Where the broker's directory goes: {@code --broker-dir} when it is a writable directory (by default
   * {@code /dev/shm}, a tmpfs, so that the disk's write-back bursts stay out of the windows), else
   * {@code java.io.tmpdir}.
   */
  Path brokerParent() {
    Path dir = Path.of(brokerDir);
    return Files.isDirectory(dir) && Files.isWritable(dir) ? dir : Path.of(System.getProperty("java.io.tmpdir"));
  }

  static String usage() {
    StringBuilder usage = new StringBuilder("GatewayLoad [--name=value ...]; options and defaults:\n");
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
