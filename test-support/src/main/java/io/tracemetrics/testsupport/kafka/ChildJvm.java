package io.tracemetrics.testsupport.kafka;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/** How the broker's JVM is prepared and started: storage format, command line, logging. */
final class ChildJvm {

  /** INFO to stdout, which {@link io.tracemetrics.testsupport.process.ChildProcess} sends to the broker's log. */
  static final String LOG_CONFIG = String.join("\n",
      "appender.out.type = Console",
      "appender.out.name = out",
      "appender.out.layout.type = PatternLayout",
      "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p [%t] %c{1} - %m%n",
      "rootLogger.level = INFO",
      "rootLogger.appenderRef.out.ref = out",
      // Per-partition and per-request chatter that buries the lines that explain a failure.
      "logger.state.name = state.change.logger",
      "logger.state.level = WARN",
      "logger.cleaner.name = kafka.log.LogCleaner",
      "logger.cleaner.level = WARN",
      "");

  private ChildJvm() {}

  /**
   * {@code java ... kafka.Kafka server.properties} on this JVM's class path.
   *
   * @param forLoad G1, the optimizing compiler and the whole heap from the start, as a production broker
   *     runs; otherwise Serial GC and C1 only: the broker of a test does little work, and startup CPU is
   *     what counts there
   */
  static List<String> command(int maxHeapMb, boolean forLoad, Path logConfig, Path propertiesFile) {
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + maxHeapMb + "m"));
    if (forLoad) {
      command.addAll(List.of("-Xms" + maxHeapMb + "m", "-XX:+UseG1GC"));
    } else {
      command.addAll(List.of("-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    }
    command.addAll(List.of(
        "-Djava.awt.headless=true",
        // Explicit, or the child would pick whatever log4j2-test file the class path holds first.
        "-Dlog4j2.configurationFile=" + logConfig,
        "-cp",
        System.getProperty("java.class.path"),
        "kafka.Kafka",
        propertiesFile.toString()));
    return command;
  }

  /** Formats the storage in this JVM: the format tool is quick, a second JVM start is not. */
  static void formatStorage(Path propertiesFile) {
    String clusterId = Uuid.randomUuid().toString();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      code = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", propertiesFile.toString()}, out);
    } catch (RuntimeException e) {
      throw new IllegalStateException("kafka storage format failed: " + output.toString(StandardCharsets.UTF_8), e);
    }
    if (code != 0) {
      throw new IllegalStateException(
          "kafka storage format exited " + code + ": " + output.toString(StandardCharsets.UTF_8));
    }
  }
}
