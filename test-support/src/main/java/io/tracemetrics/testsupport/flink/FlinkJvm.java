package io.tracemetrics.testsupport.flink;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines of the cluster's JVMs, as Flink's scripts would build them: the entry point class, the conf
 * directory, heap sizes that match the configured memory, and the module flags Flink needs on Java 17.
 */
final class FlinkJvm {

  static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  static final String CLI_MAIN = "org.apache.flink.client.cli.CliFrontend";
  static final String LOG_CONFIG_FILE = "log4j.properties";
  static final int JOB_MANAGER_HEAP_MB = 256;
  static final int CLI_HEAP_MB = 256;

  /** What Flink's default configuration passes to every JVM on Java 17 (Kryo and the RPC system reflect). */
  private static final List<String> MODULE_FLAGS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  /** INFO to stdout, which the launcher appends to the process's log file; chatty clients at WARN. */
  static final String LOG_CONFIG = String.join("\n",
      "appender.out.type = Console",
      "appender.out.name = out",
      "appender.out.layout.type = PatternLayout",
      "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p [%t] %c{1} - %m%n",
      "rootLogger.level = INFO",
      "rootLogger.appenderRef.out.ref = out",
      "logger.kafka.name = org.apache.kafka",
      "logger.kafka.level = WARN",
      "logger.zookeeper.name = org.apache.flink.shaded.zookeeper3",
      "logger.zookeeper.level = WARN",
      "");

  private FlinkJvm() {}

  static List<String> jobManager(String classpath, ClusterLayout layout) {
    List<String> command = java(JOB_MANAGER_HEAP_MB, layout.jobManagerLog(), layout.jobManagerConfDir());
    // C1 only: the jobmanager schedules and checkpoints a small job; its start-up CPU is what counts here.
    command.add("-XX:TieredStopAtLevel=1");
    return finish(command, classpath, JOB_MANAGER_MAIN, "--configDir", layout.jobManagerConfDir().toString());
  }

  /** The heap and direct-memory limits are the sums Flink's scripts would derive from the configured sizes. */
  static List<String> taskManager(String classpath, ClusterLayout layout) {
    int heapMb = FlinkConfig.TM_FRAMEWORK_HEAP_MB + layout.taskHeapMb();
    List<String> command = java(heapMb, layout.taskManagerLog(), layout.taskManagerConfDir());
    command.add("-XX:MaxDirectMemorySize=" + (FlinkConfig.TM_FRAMEWORK_OFF_HEAP_MB + FlinkConfig.TM_NETWORK_MB) + "m");
    command.add("-XX:MaxMetaspaceSize=" + FlinkConfig.TM_METASPACE_MB + "m");
    return finish(command, classpath, TASK_MANAGER_MAIN, "--configDir", layout.taskManagerConfDir().toString());
  }

  /**
   * {@code flink run -d <jar> <args>}: {@code FLINK_CONF_DIR} is how the CLI finds its configuration (there
   * is no flag for it), so the command goes through {@code env}, which replaces itself with the JVM.
   */
  static List<String> cli(String classpath, ClusterLayout layout, Path logFile, Path jar, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("env");
    command.add("FLINK_CONF_DIR=" + layout.jobManagerConfDir());
    command.addAll(java(CLI_HEAP_MB, logFile, layout.jobManagerConfDir()));
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(classpath);
    command.add(CLI_MAIN);
    command.add("run");
    command.add("-d");
    command.add(jar.toString());
    command.addAll(args);
    return command;
  }

  private static List<String> java(int heapMb, Path logFile, Path confDir) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heapMb + "m");
    command.add("-Xms64m");
    // Serial GC: small heaps on a 2-core machine shared with other tests.
    command.add("-XX:+UseSerialGC");
    command.add("-Djava.awt.headless=true");
    command.addAll(MODULE_FLAGS);
    // log.file: the web UI's log tab shows this file, which is where the launcher sends the output.
    command.add("-Dlog.file=" + logFile);
    command.add("-Dlog4j2.configurationFile=" + confDir.resolve(LOG_CONFIG_FILE));
    return command;
  }

  private static List<String> finish(List<String> command, String classpath, String main, String... args) {
    command.add("-cp");
    command.add(classpath);
    command.add(main);
    command.addAll(List.of(args));
    return command;
  }
}
