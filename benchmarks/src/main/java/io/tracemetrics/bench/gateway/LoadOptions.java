package io.tracemetrics.bench.gateway;

import io.tracemetrics.bench.BenchArgs;
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
    BenchArgs values = BenchArgs.parse(DEFAULTS, args);
    LoadOptions options = new LoadOptions(
        Duration.ofSeconds(values.positive("duration-seconds")),
        Duration.ofSeconds(values.integer("warmup-seconds")),
        values.positive("rounds"),
        Duration.ofSeconds(values.integer("settle-seconds")),
        values.integer("http-senders"),
        values.integer("grpc-senders"),
        values.positive("spans-per-request"),
        values.positive("services"),
        values.positive("span-names"),
        values.positive("distinct-requests"),
        values.positive("partitions"),
        values.positive("gateway-heap-mb"),
        values.text("broker-dir"),
        values.text("report"));
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
    return BenchArgs.usage("GatewayLoad", DEFAULTS);
  }
}
