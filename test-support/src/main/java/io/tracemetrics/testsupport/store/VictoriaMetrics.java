package io.tracemetrics.testsupport.store;

import static java.util.Objects.requireNonNull;

import io.tracemetrics.testsupport.FreePorts;
import io.tracemetrics.testsupport.process.ChildProcess;
import io.tracemetrics.testsupport.process.WorkDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node VictoriaMetrics, the {@code victoria-metrics} executable run on 127.0.0.1 with a temporary
 * data directory. The executable comes from {@code $VICTORIA_METRICS_BIN} or PATH
 * ({@code apt-get install victoria-metrics}).
 */
public final class VictoriaMetrics implements MetricStore {

  private static final Logger LOG = LoggerFactory.getLogger(VictoriaMetrics.class);

  private final int port;
  private final WorkDir workDir;
  private final List<String> command;
  private final Duration startTimeout;
  private ChildProcess process;

  private VictoriaMetrics(int port, WorkDir workDir, List<String> command, Duration startTimeout) {
    this.port = port;
    this.workDir = workDir;
    this.command = List.copyOf(command);
    this.startTimeout = startTimeout;
  }

  /** Starts VictoriaMetrics with every default: a free port, latency offset 1 s, cache off. */
  public static VictoriaMetrics start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:<port>}. */
  @Override
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code <baseUrl>/api/v1/write}: Prometheus Remote-Write 1.0. */
  @Override
  public String remoteWriteUrl() {
    return baseUrl() + "/api/v1/write";
  }

  /** {@code <baseUrl>/api/v1/import/prometheus}: Prometheus text lines, optional millisecond timestamps. */
  public String importPrometheusUrl() {
    return baseUrl() + "/api/v1/import/prometheus";
  }

  @Override
  public PromQuery query() {
    return PromQuery.victoriaMetrics(baseUrl());
  }

  public int port() {
    return port;
  }

  /** The process id of the current process: a new one after {@link #restart()}. */
  public synchronized long pid() {
    return process.pid();
  }

  /** The temporary directory: data in {@code data/}, output in {@code victoria-metrics.log}. */
  public Path workDir() {
    return workDir.path();
  }

  /**
   * Makes samples received so far searchable now instead of after the next in-memory flush (about a second):
   * a test that wrote then reads needs no polling for this part.
   */
  public void forceFlush() {
    String url = baseUrl() + "/internal/force_flush";
    if (!HttpProbe.answers200(url)) {
      throw new IllegalStateException("VictoriaMetrics did not flush: " + url);
    }
  }

  /**
   * Stops the process like an operator would (SIGTERM: it flushes what it acknowledged to disk, then exits;
   * SIGKILL after 10 s), keeping the data directory for {@link #restart()}. Nothing answers on the port
   * until then.
   */
  public synchronized void stop() {
    if (process != null && process.isAlive()) {
      process.stop(Duration.ofSeconds(10));
      LOG.info("Stopped VictoriaMetrics at {}", baseUrl());
    }
  }

  /**
   * Kills the process with SIGKILL, as a crash would, keeping the data directory for {@link #restart()}.
   * VictoriaMetrics buffers the last second or so of acknowledged samples in memory: a kill may lose them.
   */
  public synchronized void kill() {
    if (process != null && process.isAlive()) {
      process.kill();
      LOG.info("Killed VictoriaMetrics at {}", baseUrl());
    }
  }

  /** Stops the process if it runs, starts it again on the same port and data, and waits until ready. */
  public synchronized void restart() {
    stop();
    launch();
  }

  private void launch() {
    process = ChildProcess.start("VictoriaMetrics :" + port, command, workDir.resolve("victoria-metrics.log"));
    String health = baseUrl() + "/health";
    process.awaitReady(() -> HttpProbe.answers200(health), startTimeout, health);
    LOG.info("VictoriaMetrics ready at {} (pid {})", baseUrl(), process.pid());
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and deletes the directory. */
  @Override
  public synchronized void close() {
    try {
      stop();
    } finally {
      workDir.close();
    }
  }

  /** Options of a {@link VictoriaMetrics}; every one has a default. */
  public static final class Builder {
    private int port;
    private Duration latencyOffset = Duration.ofSeconds(1);
    private Duration dedupMinScrapeInterval = Duration.ZERO;
    private boolean disableCache = true;
    private int retentionMonths = 12;
    private Duration startTimeout = Duration.ofSeconds(30);
    private final List<String> extraFlags = new ArrayList<>();

    private Builder() {}

    /** HTTP port on 127.0.0.1. Default 0: a free ephemeral port. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * {@code -search.latencyOffset}: queries hide points younger than this. Default 1 s (the binary's own
     * default of 30 s would make a test wait half a minute for every write).
     */
    public Builder latencyOffset(Duration latencyOffset) {
      this.latencyOffset = requireNonNull(latencyOffset, "latencyOffset");
      return this;
    }

    /** {@code -dedup.minScrapeInterval}. Default zero: not set, every sample is kept. */
    public Builder dedupMinScrapeInterval(Duration interval) {
      this.dedupMinScrapeInterval = requireNonNull(interval, "interval");
      return this;
    }

    /**
     * {@code -search.disableCache}. Default true: the response cache can hide samples written with past
     * timestamps, which is what a replaying job writes.
     */
    public Builder disableCache(boolean disableCache) {
      this.disableCache = disableCache;
      return this;
    }

    /** {@code -retentionPeriod} in months. Default 12. */
    public Builder retentionMonths(int retentionMonths) {
      if (retentionMonths < 1) {
        throw new IllegalArgumentException("retentionMonths below 1: " + retentionMonths);
      }
      this.retentionMonths = retentionMonths;
      return this;
    }

    /** How long the start may take until {@code /health} answers. Default 30 s. */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = requireNonNull(startTimeout, "startTimeout");
      return this;
    }

    /** One more command-line flag, e.g. {@code -loggerLevel=WARN}. Default: none. */
    public Builder flag(String flag) {
      extraFlags.add(requireNonNull(flag, "flag"));
      return this;
    }

    /** Starts the process and waits until {@code /health} answers 200. */
    public VictoriaMetrics start() {
      Path binary = Binaries.find("victoria-metrics", "VICTORIA_METRICS_BIN", "victoria-metrics", System.getenv());
      int httpPort = port == 0 ? FreePorts.pick() : port;
      WorkDir workDir = WorkDir.create("victoria-metrics");
      try {
        VictoriaMetrics store = new VictoriaMetrics(httpPort, workDir,
            command(binary, httpPort, workDir.resolve("data")), startTimeout);
        store.launch();
        return store;
      } catch (RuntimeException e) {
        workDir.close();
        throw e;
      }
    }

    List<String> command(Path binary, int httpPort, Path dataDir) {
      List<String> command = new ArrayList<>();
      command.add(binary.toString());
      command.add("-httpListenAddr=127.0.0.1:" + httpPort);
      command.add("-storageDataPath=" + dataDir);
      command.add("-retentionPeriod=" + retentionMonths);
      command.add("-search.latencyOffset=" + latencyOffset.toMillis() + "ms");
      if (!dedupMinScrapeInterval.isZero()) {
        command.add("-dedup.minScrapeInterval=" + dedupMinScrapeInterval.toMillis() + "ms");
      }
      if (disableCache) {
        command.add("-search.disableCache");
      }
      command.addAll(extraFlags);
      return command;
    }
  }
}
