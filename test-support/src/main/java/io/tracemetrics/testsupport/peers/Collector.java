package io.tracemetrics.testsupport.peers;

import io.tracemetrics.testsupport.FreePorts;
import io.tracemetrics.testsupport.process.ChildProcess;
import io.tracemetrics.testsupport.process.WorkDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The OpenTelemetry Collector peer ({@link Peers#OTELCOL}) running one configuration: YAML whose last
 * section is {@code service:}, in which {@code ${PORT_1}} to {@code ${PORT_4}} are replaced by free ports
 * ({@link #port(int)}). The Collector's own telemetry is turned off, so it binds nothing else.
 *
 * <p>{@link #restart()} and {@link #kill()} are for the harnesses that take the Collector down and measure
 * what it loses: a restart keeps the configuration file, so the ports stay the same.
 */
public final class Collector implements AutoCloseable {
  private static final String READY = "Everything is ready";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final WorkDir dir;
  private final int[] ports;
  private ChildProcess process;

  private Collector(WorkDir dir, int[] ports) {
    this.dir = dir;
    this.ports = ports;
  }

  /** Starts the Collector with {@code yaml} and waits until it says it is ready. */
  public static Collector start(String yaml) {
    int[] ports = FreePorts.pick(4);
    String config = yaml;
    for (int i = 0; i < ports.length; i++) {
      config = config.replace("${PORT_" + (i + 1) + "}", String.valueOf(ports[i]));
    }
    config += "\n  telemetry:\n    metrics:\n      level: none\n";
    WorkDir dir = WorkDir.create("otelcol");
    dir.write("config.yaml", config);
    Collector collector = new Collector(dir, ports);
    try {
      collector.launch();
    } catch (RuntimeException e) {
      dir.close();
      throw e;
    }
    return collector;
  }

  /** The free port that replaced {@code ${PORT_n}}, n from 1. */
  public int port(int n) {
    return ports[n - 1];
  }

  /** The process id of the running Collector (a new one after {@link #restart()}). */
  public synchronized long pid() {
    return process.pid();
  }

  /** The Collector's log so far, every run's (a restart appends to it). */
  public String log() {
    try {
      return Files.readString(logFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops the Collector with SIGTERM (its exporters flush what they hold; SIGKILL after 20 s) unless it is
   * gone already, then starts it again with the same configuration file, so on the same ports, and waits
   * until it says it is ready again.
   */
  public synchronized void restart() {
    if (process.isAlive()) {
      process.stop(STOP_GRACE);
    }
    launch();
  }

  /** Kills the Collector with SIGKILL, as a crash would: what its queues held is lost. */
  public synchronized void kill() {
    process.kill();
  }

  private void launch() {
    long readyBefore = readyLines();
    process = ChildProcess.start("otelcol",
        List.of(Peers.OTELCOL.path().toString(), "--config", dir.resolve("config.yaml").toString()), logFile());
    process.awaitReady(() -> readyLines() > readyBefore, START_TIMEOUT, "the Collector");
  }

  /** How many runs said they were ready: the log file outlives a restart. */
  private long readyLines() {
    if (!Files.exists(logFile())) {
      return 0;
    }
    return log().lines().filter(line -> line.contains(READY)).count();
  }

  private Path logFile() {
    return dir.resolve("otelcol.log");
  }

  /** Stops it with SIGTERM, so its exporters flush what they hold, and deletes its directory. */
  @Override
  public synchronized void close() {
    try {
      process.stop(STOP_GRACE);
    } finally {
      dir.close();
    }
  }
}
