package io.tracemetrics.e2e.ecosystem;

import io.tracemetrics.testsupport.FreePorts;
import io.tracemetrics.testsupport.process.ChildProcess;
import io.tracemetrics.testsupport.process.WorkDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * The OpenTelemetry Collector peer ({@link Peers#OTELCOL}) running one configuration: YAML whose last
 * section is {@code service:}, in which {@code ${PORT_1}} to {@code ${PORT_4}} are replaced by free ports
 * ({@link #port(int)}). The Collector's own telemetry is turned off, so it binds nothing else.
 */
public final class Collector implements AutoCloseable {
  private final WorkDir dir;
  private final ChildProcess process;
  private final int[] ports;

  private Collector(WorkDir dir, ChildProcess process, int[] ports) {
    this.dir = dir;
    this.process = process;
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
    ChildProcess process = ChildProcess.start("otelcol",
        List.of(Peers.OTELCOL.path().toString(), "--config", dir.resolve("config.yaml").toString()),
        dir.resolve("otelcol.log"));
    Collector collector = new Collector(dir, process, ports);
    try {
      process.awaitReady(() -> collector.log().contains("Everything is ready"), Duration.ofSeconds(60),
          "the Collector");
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

  /** The Collector's log so far. */
  public String log() {
    try {
      return Files.readString(process.logFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops it with SIGTERM, so its exporters flush what they hold. */
  @Override
  public void close() {
    process.stop(Duration.ofSeconds(20));
    dir.close();
  }
}
