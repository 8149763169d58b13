package io.tracemetrics.testsupport.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code config.yaml} (the file name Flink 2.x reads from a conf directory) of each process of a
 * {@link FlinkCluster}: loopback addresses, the ports, small memory, the Prometheus reporter, and every
 * directory inside the cluster's temporary directory.
 */
final class FlinkConfig {

  static final String FILE_NAME = "config.yaml";
  static final String REPORTER_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
  static final String LOOPBACK = "127.0.0.1";

  /** Heap and off-heap sizes of the taskmanager JVM, in MiB; the launcher's JVM flags are derived from them. */
  static final int TM_FRAMEWORK_HEAP_MB = 64;
  static final int TM_FRAMEWORK_OFF_HEAP_MB = 64;
  static final int TM_NETWORK_MB = 64;
  static final int TM_MANAGED_MB = 64;
  static final int TM_METASPACE_MB = 256;

  private FlinkConfig() {}

  /** The settings every process shares: addresses, the jobmanager's ports, slots, checkpoints. */
  static Map<String, String> common(ClusterLayout layout) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("jobmanager.rpc.address", LOOPBACK);
    config.put("jobmanager.rpc.port", Integer.toString(layout.rpcPort()));
    config.put("jobmanager.bind-host", LOOPBACK);
    config.put("rest.address", LOOPBACK);
    config.put("rest.bind-address", LOOPBACK);
    config.put("rest.port", Integer.toString(layout.restPort()));
    // The submitted job jar is a fat jar; Flink's 100 MiB default would be the next surprise.
    config.put("rest.server.max-content-length", Integer.toString(512 * 1024 * 1024));
    config.put("rest.client.max-content-length", Integer.toString(512 * 1024 * 1024));
    config.put("taskmanager.host", LOOPBACK);
    config.put("taskmanager.bind-host", LOOPBACK);
    // 0: Flink binds a free port itself, and advertises it over RPC; nobody needs to know it in advance.
    config.put("blob.server.port", "0");
    config.put("taskmanager.rpc.port", "0");
    config.put("taskmanager.data.port", "0");
    config.put("taskmanager.numberOfTaskSlots", Integer.toString(layout.slots()));
    config.put("parallelism.default", Integer.toString(layout.parallelism()));
    config.put("state.backend.type", "hashmap");
    config.put("execution.checkpointing.dir", layout.checkpointDir().toUri().toString());
    config.put("metrics.reporter.prom.factory.class", REPORTER_FACTORY);
    return config;
  }

  /** The jobmanager's file: {@code common} plus its reporter port and directories. */
  static Map<String, String> jobManager(ClusterLayout layout, Map<String, String> overrides) {
    Map<String, String> config = common(layout);
    config.put("metrics.reporter.prom.port", Integer.toString(layout.jobManagerMetricsPort()));
    Path dir = layout.jobManagerDir();
    config.put("io.tmp.dirs", dir.resolve("tmp").toString());
    config.put("web.tmpdir", dir.resolve("web").toString());
    config.put("blob.storage.directory", dir.resolve("blobs").toString());
    config.putAll(overrides);
    return config;
  }

  /**
   * The taskmanager's file. Every memory component is set: a taskmanager started without Flink's scripts
   * refuses to start unless they are (the scripts compute them and pass them as dynamic properties).
   */
  static Map<String, String> taskManager(ClusterLayout layout, Map<String, String> overrides) {
    Map<String, String> config = common(layout);
    config.put("metrics.reporter.prom.port", Integer.toString(layout.taskManagerMetricsPort()));
    Path dir = layout.taskManagerDir();
    config.put("io.tmp.dirs", dir.resolve("tmp").toString());
    config.put("blob.storage.directory", dir.resolve("blobs").toString());
    config.put("taskmanager.cpu.cores", Integer.toString(layout.slots()));
    config.put("taskmanager.memory.framework.heap.size", TM_FRAMEWORK_HEAP_MB + "m");
    config.put("taskmanager.memory.task.heap.size", layout.taskHeapMb() + "m");
    config.put("taskmanager.memory.framework.off-heap.size", TM_FRAMEWORK_OFF_HEAP_MB + "m");
    config.put("taskmanager.memory.task.off-heap.size", "0m");
    config.put("taskmanager.memory.network.min", TM_NETWORK_MB + "m");
    config.put("taskmanager.memory.network.max", TM_NETWORK_MB + "m");
    config.put("taskmanager.memory.managed.size", TM_MANAGED_MB + "m");
    config.put("taskmanager.memory.jvm-metaspace.size", TM_METASPACE_MB + "m");
    config.put("taskmanager.memory.jvm-overhead.min", "192m");
    config.put("taskmanager.memory.jvm-overhead.max", "192m");
    config.putAll(overrides);
    return config;
  }

  /** Writes {@code config.yaml} and the log configuration into {@code confDir}, created if missing. */
  static void write(Path confDir, Map<String, String> config) {
    try {
      Files.createDirectories(confDir);
      Files.writeString(confDir.resolve(FILE_NAME), render(config));
      Files.writeString(confDir.resolve(FlinkJvm.LOG_CONFIG_FILE), FlinkJvm.LOG_CONFIG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Flink configuration in " + confDir, e);
    }
  }

  /** One flat {@code key: 'value'} line per entry; single quotes keep paths, URIs and "2 s" one string. */
  static String render(Map<String, String> config) {
    StringBuilder yaml = new StringBuilder("# Written by io.tracemetrics.testsupport.flink.FlinkCluster\n");
    config.forEach((key, value) ->
        yaml.append(key).append(": '").append(value.replace("'", "''")).append("'\n"));
    return yaml.toString();
  }
}
