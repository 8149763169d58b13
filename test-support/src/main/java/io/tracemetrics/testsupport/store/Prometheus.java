package io.tracemetrics.testsupport.store;

import static java.util.Objects.requireNonNull;

import io.tracemetrics.testsupport.FreePorts;
import io.tracemetrics.testsupport.process.ChildProcess;
import io.tracemetrics.testsupport.process.WorkDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Prometheus server, the {@code prometheus} executable run on 127.0.0.1 with a temporary TSDB, the
 * Remote-Write receiver on, and a generated {@code prometheus.yml} that scrapes the given targets. The
 * executable comes from {@code $PROMETHEUS_BIN} or PATH ({@code apt-get install prometheus}).
 */
public final class Prometheus implements MetricStore {

  private static final Logger LOG = LoggerFactory.getLogger(Prometheus.class);

  /**
   * How much older than the newest sample in the TSDB a remote-written sample may be and still be stored
   * when it is older than its series' newest: the replay horizon of the job (see flink-job's README, "What
   * a replay rewrites"), as in docker/prometheus/prometheus.yml.
   */
  public static final Duration DEFAULT_OUT_OF_ORDER_TIME_WINDOW = Duration.ofMinutes(10);

  private final int port;
  private final WorkDir workDir;
  private final ChildProcess process;

  private Prometheus(int port, WorkDir workDir, ChildProcess process) {
    this.port = port;
    this.workDir = workDir;
    this.process = process;
  }

  /** Starts Prometheus with every default: a free port, no scrape target. */
  public static Prometheus start() {
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

  /** {@code <baseUrl>/api/v1/write}: the Remote-Write receiver. */
  @Override
  public String remoteWriteUrl() {
    return baseUrl() + "/api/v1/write";
  }

  @Override
  public PromQuery query() {
    return PromQuery.prometheus(baseUrl());
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** The generated configuration file. */
  public Path configFile() {
    return workDir.resolve("prometheus.yml");
  }

  /** The temporary directory: TSDB in {@code data/}, output in {@code prometheus.log}. */
  public Path workDir() {
    return workDir.path();
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and deletes the directory. */
  @Override
  public void close() {
    try {
      process.stop(Duration.ofSeconds(10));
      LOG.info("Stopped Prometheus at {}", baseUrl());
    } finally {
      workDir.close();
    }
  }

  /** Options of a {@link Prometheus}; every one has a default. */
  public static final class Builder {
    private int port;
    private Duration scrapeInterval = Duration.ofSeconds(1);
    private Duration outOfOrderTimeWindow = DEFAULT_OUT_OF_ORDER_TIME_WINDOW;
    private Duration startTimeout = Duration.ofSeconds(30);
    private final Map<String, List<String>> targets = new LinkedHashMap<>();
    private final List<String> remoteWriteUrls = new ArrayList<>();
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

    /** Adds {@code hostPort} ({@code 127.0.0.1:8888}) to the scrape job {@code job}. Default: no targets. */
    public Builder scrapeTarget(String job, String hostPort) {
      requireNonNull(job, "job");
      requireNonNull(hostPort, "hostPort");
      if (job.isBlank() || hostPort.isBlank()) {
        throw new IllegalArgumentException("blank scrape job or target: '" + job + "' '" + hostPort + "'");
      }
      targets.computeIfAbsent(job, j -> new ArrayList<>()).add(hostPort);
      return this;
    }

    /**
     * Adds a {@code remote_write} endpoint: everything Prometheus scrapes is also sent there, e.g. to
     * VictoriaMetrics' {@code /api/v1/write} (call again for more). Default: none.
     */
    public Builder remoteWrite(String url) {
      requireNonNull(url, "url");
      if (url.isBlank()) {
        throw new IllegalArgumentException("blank remote-write URL");
      }
      remoteWriteUrls.add(url);
      return this;
    }

    /** Global scrape (and scrape timeout, and evaluation) interval. Default 1 s. */
    public Builder scrapeInterval(Duration scrapeInterval) {
      requireNonNull(scrapeInterval, "scrapeInterval");
      if (scrapeInterval.toMillis() < 1) {
        throw new IllegalArgumentException("scrapeInterval below 1 ms: " + scrapeInterval);
      }
      this.scrapeInterval = scrapeInterval;
      return this;
    }

    /**
     * {@code storage.tsdb.out_of_order_time_window}: samples older than their series' newest are stored if
     * they are at most this much older than the newest sample of any series. Default
     * {@link #DEFAULT_OUT_OF_ORDER_TIME_WINDOW} (10 min); zero: refused, Prometheus' own default.
     */
    public Builder outOfOrderTimeWindow(Duration outOfOrderTimeWindow) {
      requireNonNull(outOfOrderTimeWindow, "outOfOrderTimeWindow");
      if (outOfOrderTimeWindow.isNegative()) {
        throw new IllegalArgumentException("negative outOfOrderTimeWindow: " + outOfOrderTimeWindow);
      }
      this.outOfOrderTimeWindow = outOfOrderTimeWindow;
      return this;
    }

    /** How long the start may take until {@code /-/ready} answers. Default 30 s. */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = requireNonNull(startTimeout, "startTimeout");
      return this;
    }

    /** One more command-line flag, e.g. {@code --log.level=warn}. Default: none. */
    public Builder flag(String flag) {
      extraFlags.add(requireNonNull(flag, "flag"));
      return this;
    }

    /** Writes the configuration, starts the process and waits until {@code /-/ready} answers 200. */
    public Prometheus start() {
      Path binary = Binaries.find("prometheus", "PROMETHEUS_BIN", "prometheus", System.getenv());
      int httpPort = port == 0 ? FreePorts.pick() : port;
      WorkDir workDir = WorkDir.create("prometheus");
      try {
        Path config = workDir.write("prometheus.yml",
            PrometheusConfig.render(scrapeInterval, outOfOrderTimeWindow, targets, remoteWriteUrls));
        ChildProcess process = ChildProcess.start("Prometheus :" + httpPort,
            command(binary, httpPort, config, workDir.resolve("data")), workDir.resolve("prometheus.log"));
        String ready = "http://127.0.0.1:" + httpPort + "/-/ready";
        process.awaitReady(() -> HttpProbe.answers200(ready), startTimeout, ready);
        LOG.info("Prometheus ready at http://127.0.0.1:{} (pid {}), scraping {}, remote-writing to {}", httpPort,
            process.pid(), targets, remoteWriteUrls);
        return new Prometheus(httpPort, workDir, process);
      } catch (RuntimeException e) {
        workDir.close();
        throw e;
      }
    }

    private List<String> command(Path binary, int httpPort, Path config, Path dataDir) {
      List<String> command = new ArrayList<>();
      command.add(binary.toString());
      command.add("--config.file=" + config);
      command.add("--storage.tsdb.path=" + dataDir);
      command.add("--web.listen-address=127.0.0.1:" + httpPort);
      command.add("--web.enable-remote-write-receiver");
      command.addAll(extraFlags);
      return command;
    }
  }
}
