package io.tracemetrics.demo;

import io.tracemetrics.gateway.OtlpGateway;
import io.tracemetrics.job.JobOptions;
import io.tracemetrics.job.RedMetricsJob;
import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.FreePorts;
import io.tracemetrics.testsupport.flink.FlinkRest;
import io.tracemetrics.testsupport.kafka.KafkaBroker;
import io.tracemetrics.testsupport.process.WorkDir;
import io.tracemetrics.testsupport.store.Prometheus;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine: VictoriaMetrics, a KRaft Kafka broker (child JVM), the OTLP gateway
 * and the Flink job on a local MiniCluster, plus Prometheus (scraping the gateway and the job, and
 * taking the job's remote writes) when it is installed. Everything it starts, {@link #close()} stops.
 *
 * <p>Ports default to the contract's (8428, 9092, 4317, 4318, 13133, 8888, 8081, 9090, 9249); a default
 * port that is taken is replaced by a free one, and {@link #describe()} tells which.
 */
public final class LocalDemo implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalDemo.class);
  static final String TOPIC = "otlp_spans";
  static final int TOPIC_PARTITIONS = 2;
  /** The demo's window and checkpoint interval (see {@link Builder}). */
  public static final Duration DEMO_WINDOW = Duration.ofSeconds(5);
  public static final Duration DEMO_CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

  private final Builder settings;
  private final List<AutoCloseable> started = new ArrayList<>();
  private VictoriaMetrics victoriaMetrics;
  private Prometheus prometheus;
  private KafkaBroker kafka;
  private OtlpGateway gateway;
  private JobClient job;
  private int flinkUiPort;
  private int flinkMetricsPort;

  private LocalDemo(Builder settings) {
    this.settings = settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts every part, in dependency order; on failure stops what had started and rethrows. */
  public LocalDemo start() throws Exception {
    try {
      victoriaMetrics = VictoriaMetrics.builder().port(port(settings.victoriaMetricsPort))
          // A replay after a restore re-sends identical samples; one copy of each is kept.
          .dedupMinScrapeInterval(Duration.ofMillis(1))
          .start();
      started.add(victoriaMetrics);
      kafka = KafkaBroker.builder().port(port(settings.kafkaPort)).start();
      started.add(kafka);
      kafka.createTopic(TOPIC, TOPIC_PARTITIONS);
      gateway =
          settings.gatewaySettings.apply(OtlpGateway.builder())
              .kafkaBootstrapServers(kafka.bootstrapServers())
              .topic(TOPIC)
              .bindAddress("127.0.0.1")
              .grpcPort(port(settings.grpcPort))
              .httpPort(port(settings.httpPort))
              .healthPort(port(settings.healthPort))
              .metricsPort(port(settings.metricsPort))
              .build()
              .start();
      started.add(gateway);
      flinkUiPort = port(settings.flinkUiPort);
      flinkMetricsPort = port(settings.flinkMetricsPort);
      if (settings.withPrometheus) {
        prometheus = startPrometheusIfInstalled();
      }
      job = startJob();
      started.add(() -> job.cancel().get(30, TimeUnit.SECONDS));
      awaitJobRunning(Duration.ofSeconds(120));
      return this;
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private Prometheus startPrometheusIfInstalled() {
    try {
      Prometheus started =
          Prometheus.builder()
              .port(port(settings.prometheusPort))
              .scrapeInterval(Duration.ofSeconds(5))
              .scrapeTarget("otlp-gateway", "127.0.0.1:" + gateway.metricsPort())
              .scrapeTarget("flink", "127.0.0.1:" + flinkMetricsPort)
              .start();
      this.started.add(started);
      return started;
    } catch (RuntimeException e) {
      LOG.warn("Running without Prometheus: {}", e.getMessage());
      return null;
    }
  }

  private JobClient startJob() throws Exception {
    String remoteWrite = victoriaMetrics.remoteWriteUrl()
        + (prometheus != null ? "," + prometheus.remoteWriteUrl() : "");
    Configuration flink = new Configuration();
    flink.set(RestOptions.PORT, flinkUiPort);
    flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    flink.setString("metrics.reporter.prom.factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    flink.setString("metrics.reporter.prom.port", String.valueOf(flinkMetricsPort));
    // Checkpoints in files: the default (the job manager's memory) refuses state over 5 MB, some 20,000 series.
    WorkDir checkpoints = WorkDir.create("demo-checkpoints");
    started.add(checkpoints);
    flink.setString("execution.checkpointing.dir", checkpoints.path().toUri().toString());
    Configuration options = new Configuration(settings.jobOptions);
    options.set(JobOptions.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    options.set(JobOptions.KAFKA_TOPIC, TOPIC);
    options.set(JobOptions.REMOTE_WRITE_URL, remoteWrite);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink).setParallelism(settings.parallelism);
    RedMetricsJob.fromOptions(JobOptions.of(options)).build(env);
    return env.executeAsync(RedMetricsJob.JOB_NAME);
  }

  /**
   * Waits until every task of the job runs, so a span sent right after {@link #start()} is read at once
   * rather than after the tasks were deployed.
   */
  private void awaitJobRunning(Duration timeout) {
    FlinkRest rest = new FlinkRest("http://127.0.0.1:" + flinkUiPort);
    boolean running = Await.tryUntil(() -> {
      JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
      if (status.isGloballyTerminalState()) {
        throw new IllegalStateException("the job ended while starting: " + status);
      }
      return rest.tryJob(job.getJobID()).map(FlinkRest.JobDetails::allRunning).orElse(false);
    }, timeout, Duration.ofMillis(200));
    if (!running) {
      throw new IllegalStateException("the job's tasks were not all running after " + timeout);
    }
  }

  private int port(int preferred) {
    return settings.anyFreePorts ? FreePorts.pick() : FreePorts.preferredOrFree(preferred);
  }

  public VictoriaMetrics victoriaMetrics() {
    return victoriaMetrics;
  }

  public Optional<Prometheus> prometheus() {
    return Optional.ofNullable(prometheus);
  }

  public KafkaBroker kafka() {
    return kafka;
  }

  public OtlpGateway gateway() {
    return gateway;
  }

  public int flinkUiPort() {
    return flinkUiPort;
  }

  public int flinkMetricsPort() {
    return flinkMetricsPort;
  }

  /** Where everything is, and what to try first. */
  public String describe() {
    StringBuilder out = new StringBuilder("\ntrace-metrics demo is running:\n");
    line(out, "OTLP/gRPC", "http://localhost:" + gateway.grpcPort());
    line(out, "OTLP/HTTP", "http://localhost:" + gateway.httpPort() + "/v1/traces");
    line(out, "gateway health", "http://localhost:" + gateway.healthPort() + "/health/status");
    line(out, "gateway metrics", "http://localhost:" + gateway.metricsPort() + "/metrics");
    line(out, "Kafka", kafka.bootstrapServers() + " (topic " + TOPIC + ")");
    line(out, "Flink web UI", "http://localhost:" + flinkUiPort);
    line(out, "Flink metrics", "http://localhost:" + flinkMetricsPort + "/metrics");
    line(out, "VictoriaMetrics", victoriaMetrics.baseUrl() + "/vmui");
    if (prometheus != null) {
      line(out, "Prometheus", prometheus.baseUrl() + "/targets");
    }
    String query = "--data-urlencode 'query=llm_traces_span_metrics_calls_total{service_name=\"my-app\"}'";
    out.append("\nVerify it:\n")
        .append("  1. health:  curl -s http://localhost:").append(gateway.healthPort()).append("/health/status\n");
    if (prometheus != null) {
      out.append("  2. targets: ").append(prometheus.baseUrl()).append("/targets (otlp-gateway and flink up)\n");
    }
    out.append("  3. send one span (any OpenTelemetry SDK with OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:")
        .append(gateway.httpPort()).append(", or):\n")
        .append("     now=$(date +%s%N); curl -s -X POST http://localhost:").append(gateway.httpPort())
        .append("/v1/traces -H 'Content-Type: application/json' -d '{\"resourceSpans\":[{\"resource\":"
            + "{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"my-app\"}}]},"
            + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":"
            + "\"eee19b7ec3c1b174\",\"name\":\"test-request\",\"kind\":2,\"startTimeUnixNano\":\"'"
            + "$((now-25000000))'\",\"endTimeUnixNano\":\"'$now'\"}]}]}]}'\n")
        .append("  4. 10 to 15 s later, query it:\n")
        .append("     curl -s ").append(victoriaMetrics.baseUrl()).append("/api/v1/query ").append(query).append('\n');
    if (prometheus != null) {
      out.append("     curl -s ").append(prometheus.baseUrl()).append("/api/v1/query ").append(query).append('\n');
    }
    out.append("Ctrl-C stops everything.\n");
    return out.toString();
  }

  private static void line(StringBuilder out, String what, String where) {
    out.append(String.format("  %-16s %s%n", what, where));
  }

  /** Stops everything that started, newest first; never throws. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warn("Stopping a part of the demo failed", e);
      }
    }
    started.clear();
  }

  /** Settings; every port defaults to the contract's. */
  public static final class Builder {
    private int victoriaMetricsPort = 8428;
    private int prometheusPort = 9090;
    private int kafkaPort = 9092;
    private int grpcPort = 4317;
    private int httpPort = 4318;
    private int healthPort = 13133;
    private int metricsPort = 8888;
    private int flinkUiPort = 8081;
    private int flinkMetricsPort = 9249;
    private int parallelism = 2;
    private boolean anyFreePorts;
    private boolean withPrometheus = true;
    private final Configuration jobOptions = new Configuration();
    private UnaryOperator<OtlpGateway.Builder> gatewaySettings = UnaryOperator.identity();

    private Builder() {
      // Quicker than the job's defaults (10 s windows, 10 s checkpoints): a span sent to the demo is queryable
      // within window + out-of-orderness + checkpoint interval, 5 + 2 + 2 s, plus the store's own delay.
      jobOptions.set(JobOptions.WINDOW, DEMO_WINDOW);
      jobOptions.set(JobOptions.CHECKPOINT_INTERVAL, DEMO_CHECKPOINT_INTERVAL);
    }

    /** Every port a free one instead of the defaults, for tests. */
    public Builder anyFreePorts() {
      anyFreePorts = true;
      return this;
    }

    /** Also start Prometheus, when installed (default true). */
    public Builder withPrometheus(boolean withPrometheus) {
      this.withPrometheus = withPrometheus;
      return this;
    }

    /** The job's parallelism (default 2). */
    public Builder parallelism(int parallelism) {
      this.parallelism = parallelism;
      return this;
    }

    /**
     * Windows of 2 s, out-of-orderness 0.5 s, idle after 1 s and a checkpoint every 2 s: for tests, which
     * then see a span's sample a few seconds after sending it.
     */
    public Builder quickWindows() {
      jobOptions.set(JobOptions.WINDOW, Duration.ofSeconds(2));
      jobOptions.set(JobOptions.OUT_OF_ORDERNESS, Duration.ofMillis(500));
      jobOptions.set(JobOptions.IDLE_AFTER, Duration.ofSeconds(1));
      jobOptions.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(2));
      return this;
    }

    /** Sets one of the job's options; Kafka and the remote-write URLs are the demo's own. */
    public <T> Builder jobOption(ConfigOption<T> option, T value) {
      jobOptions.set(option, value);
      return this;
    }

    /**
     * Further gateway settings (e.g. a small in-flight limit, for tests of pushback); Kafka, the topic and
     * the ports are the demo's own.
     */
    public Builder gateway(UnaryOperator<OtlpGateway.Builder> settings) {
      gatewaySettings = settings;
      return this;
    }

    public LocalDemo build() {
      return new LocalDemo(this);
    }

    /** Builds and starts. */
    public LocalDemo start() throws Exception {
      return build().start();
    }
  }
}
