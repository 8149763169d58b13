package io.tracemetrics.gateway;

import io.grpc.Server;
import io.tracemetrics.gateway.http.BoundedHttpServer;
import io.tracemetrics.gateway.http.NettyHttpServer;
import io.tracemetrics.gateway.ingest.InFlightLimiter;
import io.tracemetrics.gateway.ingest.TraceIngest;
import io.tracemetrics.gateway.kafka.KafkaClusterProbe;
import io.tracemetrics.gateway.kafka.KafkaRecordPublisher;
import io.tracemetrics.gateway.kafka.RecordPublisher;
import io.tracemetrics.gateway.metrics.GatewayMetrics;
import io.tracemetrics.gateway.metrics.MetricsRegistry;
import io.tracemetrics.gateway.metrics.RefusalLog;
import io.tracemetrics.gateway.otlp.BearerAuth;
import io.tracemetrics.gateway.otlp.GrpcTraceReceiver;
import io.tracemetrics.gateway.otlp.HttpTraceReceiver;
import io.tracemetrics.gateway.otlp.ReceiverSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP gateway: OTLP/gRPC and OTLP/HTTP trace receivers that write every request to a Kafka topic
 * as {@code TracesData} records and answer only after Kafka acknowledged all of them; plus a health
 * endpoint and a Prometheus self-metrics endpoint. Create with {@link #builder()}, then {@link #start()}.
 */
public final class OtlpGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpGateway.class);
  private static final Duration HEALTH_PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration HEALTH_CACHE_TTL = Duration.ofSeconds(2);

  private final GatewaySettings settings;
  @Nullable private final RecordPublisher injectedPublisher;
  @Nullable private final BooleanSupplier injectedProbe;

  private RecordPublisher publisher;
  @Nullable private KafkaClusterProbe clusterProbe;
  private GatewayMetrics metrics;
  private BoundedHttpServer metricsServer;
  private BoundedHttpServer healthServer;
  private NettyHttpServer httpServer;
  private Server grpcServer;
  private ExecutorService grpcExecutor;
  private boolean started;
  private boolean closed;

  private OtlpGateway(GatewaySettings settings, @Nullable RecordPublisher publisher,
      @Nullable BooleanSupplier probe) {
    this.settings = settings;
    this.injectedPublisher = publisher;
    this.injectedProbe = probe;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds all four servers; on failure everything already started is closed again. */
  public synchronized OtlpGateway start() throws IOException {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    Instant upSince = Instant.now();
    MetricsRegistry registry = new MetricsRegistry();
    metrics = new GatewayMetrics(registry);
    try {
      // Read the TLS files first: a bad file fails the start before any port is bound.
      ServerTls tls = settings.tlsEnabled()
          ? ServerTls.load(settings.tlsCertFile(), settings.tlsKeyFile(), settings.tlsClientCaFile())
          : null;
      publisher = injectedPublisher != null ? injectedPublisher : kafkaPublisher();
      BooleanSupplier probe = injectedProbe;
      if (probe == null) {
        clusterProbe = new KafkaClusterProbe(settings.kafkaBootstrapServers(), settings.kafkaProperties(),
            HEALTH_PROBE_TIMEOUT);
        probe = clusterProbe;
      }
      CachedReachability reachability = new CachedReachability(probe, HEALTH_CACHE_TTL, System::nanoTime);
      InFlightLimiter limiter = new InFlightLimiter(settings.maxInFlightBytes());
      metrics.inFlightBytes(limiter::inFlightBytes);
      metrics.kafkaReachable(() -> reachability.lastKnown() ? 1 : 0);
      metrics.startTimeSeconds(upSince.toEpochMilli() / 1000.0);
      RefusalLog refusals = RefusalLog.everyTenSeconds();
      TraceIngest ingest = new TraceIngest(publisher, metrics, limiter, refusals, settings.sendTimeout());
      ReceiverSettings receiverSettings = new ReceiverSettings(settings.maxMessageBytes(),
          settings.sendTimeout(), settings.retryAfterSeconds(), new BearerAuth(settings.authToken()),
          settings.corsAllowedOrigins());
      String host = settings.bindAddress();
      metricsServer = BoundedHttpServer.start("metrics", host, settings.metricsPort(), 2,
          Map.of("/", new MetricsHandler(registry)));
      healthServer = BoundedHttpServer.start("health", host, settings.healthPort(), 2,
          Map.of("/", new HealthHandler(reachability, upSince)));
      grpcExecutor = Executors.newFixedThreadPool(settings.grpcThreads(), daemonThreads("otlp-grpc"));
      grpcServer = new GrpcTraceReceiver(ingest, metrics, refusals, receiverSettings)
          .start(host, settings.grpcPort(), grpcExecutor, tls == null ? null : tls.grpcSslContext());
      NettyHttpServer.Builder http = NettyHttpServer.builder()
          .name("otlp-http").host(host).port(settings.httpPort()).threads(settings.httpThreads())
          .ioThreads(settings.httpIoThreads())
          .maxBodyBytes(settings.maxMessageBytes())
          // Bodies being received get their own budget of the same size as the bytes waiting for Kafka.
          .bodyBudget(new InFlightLimiter(settings.maxInFlightBytes()))
          .service(new HttpTraceReceiver(ingest, metrics, refusals, receiverSettings));
      if (tls != null) {
        http.tls(tls::newHttpEngine);
      }
      httpServer = http.start();
    } catch (IOException | RuntimeException e) {
      LOG.error("gateway failed to start; closing what was started", e);
      close();
      throw e;
    }
    LOG.info("OTLP gateway up: grpc {} http {} health {} metrics {}, topic {}, OTLP TLS {}", grpcPort(),
        httpPort(), healthPort(), metricsPort(), settings.topic(), tlsDescription());
    return this;
  }

  private String tlsDescription() {
    if (!settings.tlsEnabled()) {
      return "off";
    }
    return settings.tlsClientCaFile() == null ? "on" : "on, client certificates required";
  }

  private KafkaRecordPublisher kafkaPublisher() {
    KafkaRecordPublisher.Builder builder = KafkaRecordPublisher.builder()
        .bootstrapServers(settings.kafkaBootstrapServers())
        .topic(settings.topic())
        .region(settings.region())
        .compression(settings.kafkaCompression())
        .lingerMs(settings.kafkaLingerMs())
        .batchSize(settings.kafkaBatchSize())
        .maxRequestSize(settings.maxRecordBytes())
        .sendTimeout(settings.sendTimeout())
        .closeTimeout(settings.shutdownTimeout());
    settings.kafkaProperties().forEach((key, value) -> builder.property(key, String.valueOf(value)));
    return builder.build();
  }

  public int grpcPort() {
    return grpcServer.getPort();
  }

  public int httpPort() {
    return httpServer.port();
  }

  public int healthPort() {
    return healthServer.port();
  }

  public int metricsPort() {
    return metricsServer.port();
  }

  /** The effective settings the builder resolved (for tests). */
  GatewaySettings settings() {
    return settings;
  }

  /** The self-metrics (for tests and embedding). */
  GatewayMetrics metrics() {
    return metrics;
  }

  /**
   * Graceful stop: the receivers stop accepting and in-flight requests get their answer (bounded by the
   * shutdown timeout), then the producer flushes and closes, then health and metrics go away.
   */
  @Override
  public synchronized void close() {
    if (closed || !started) {
      return;
    }
    closed = true;
    Duration grace = settings.shutdownTimeout();
    if (grpcServer != null) {
      grpcServer.shutdown();
    }
    if (httpServer != null) {
      httpServer.stop(grace);
    }
    if (grpcServer != null) {
      awaitGrpc(grace);
    }
    if (grpcExecutor != null) {
      grpcExecutor.shutdown();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (clusterProbe != null) {
      clusterProbe.close();
    }
    if (healthServer != null) {
      healthServer.stop(Duration.ZERO);
    }
    if (metricsServer != null) {
      metricsServer.stop(Duration.ZERO);
    }
    LOG.info("OTLP gateway stopped");
  }

  private void awaitGrpc(Duration grace) {
    try {
      if (!grpcServer.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("gRPC calls still running after {}; cancelling them", grace);
        grpcServer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      grpcServer.shutdownNow();
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    AtomicInteger next = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Builder. Only the Kafka bootstrap servers are required; defaults are resolved in {@link #build()}. */
  public static final class Builder {
    private final GatewaySettings.Mutable values = new GatewaySettings.Mutable();
    @Nullable private RecordPublisher publisher;
    @Nullable private BooleanSupplier probe;

    private Builder() {}

    /** Required: Kafka bootstrap servers, {@code host:port[,host:port]}. */
    public Builder kafkaBootstrapServers(String servers) {
      values.kafkaBootstrapServers = requireNonNull(servers, "servers");
      return this;
    }

    /** Default {@code otlp_spans}. */
    public Builder topic(String topic) {
      values.topic = requireNonNull(topic, "topic");
      return this;
    }

    /** Default 4317; 0 picks a free port. */
    public Builder grpcPort(int port) {
      values.grpcPort = port;
      return this;
    }

    /** Default 4318; 0 picks a free port. */
    public Builder httpPort(int port) {
      values.httpPort = port;
      return this;
    }

    /** Default 13133; 0 picks a free port. */
    public Builder healthPort(int port) {
      values.healthPort = port;
      return this;
    }

    /** Default 8888; 0 picks a free port. */
    public Builder metricsPort(int port) {
      values.metricsPort = port;
      return this;
    }

    /** Default {@code 0.0.0.0}. */
    public Builder bindAddress(String host) {
      values.bindAddress = requireNonNull(host, "host");
      return this;
    }

    /** Default none; when set, every record carries a Kafka header {@code region}. */
    public Builder region(String region) {
      values.region = requireNonNull(region, "region");
      return this;
    }

    /** Any Kafka client property (security settings etc.); it wins over the gateway's own settings. */
    public Builder kafkaProperty(String key, String value) {
      values.kafkaProperties.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** Largest accepted request in bytes (gRPC message; HTTP body before and after gzip). Default 16 MiB. */
    public Builder maxMessageBytes(int bytes) {
      values.maxMessageBytes = bytes;
      return this;
    }

    /** The producer's {@code max.request.size}; larger requests are split. Default 1 MiB. */
    public Builder maxRecordBytes(int bytes) {
      values.maxRecordBytes = bytes;
      return this;
    }

    /** How long a request may wait for Kafka's acknowledgement. Default 30 s. */
    public Builder sendTimeout(Duration timeout) {
      values.sendTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    /** Bound on request bytes waiting for Kafka; 0 disables. Default 256 MiB. */
    public Builder maxInFlightBytes(long bytes) {
      values.maxInFlightBytes = bytes;
      return this;
    }

    /** Delay suggested in retryable answers. Default 5 s. */
    public Builder retryAfterSeconds(long seconds) {
      values.retryAfterSeconds = seconds;
      return this;
    }

    /** Worker threads of the OTLP/HTTP server. Default 16. */
    public Builder httpThreads(int threads) {
      values.httpThreads = threads;
      return this;
    }

    /** I/O threads of the OTLP/HTTP server; 0 (the default) for one per core. */
    public Builder httpIoThreads(int threads) {
      values.httpIoThreads = threads;
      return this;
    }

    /** Worker threads of the OTLP/gRPC server. Default 16. */
    public Builder grpcThreads(int threads) {
      values.grpcThreads = threads;
      return this;
    }

    /** Kafka compression type. Default {@code lz4}. */
    public Builder kafkaCompression(String compression) {
      values.kafkaCompression = requireNonNull(compression, "compression");
      return this;
    }

    /** Kafka {@code linger.ms}. Default 10. */
    public Builder kafkaLingerMs(int lingerMs) {
      values.kafkaLingerMs = lingerMs;
      return this;
    }

    /** Kafka {@code batch.size}. Default 256 KiB. */
    public Builder kafkaBatchSize(int bytes) {
      values.kafkaBatchSize = bytes;
      return this;
    }

    /** Bearer token required from clients; default none (no authentication). */
    public Builder authToken(String token) {
      values.authToken = requireNonNull(token, "token");
      return this;
    }

    /** CORS allowed origins for OTLP/HTTP ({@code *} for any); default none (CORS off). */
    public Builder corsAllowedOrigins(java.util.List<String> origins) {
      values.corsAllowedOrigins = java.util.List.copyOf(origins);
      return this;
    }

    /** How long {@link #close()} waits for in-flight requests and the producer flush. Default 30 s. */
    public Builder shutdownTimeout(Duration timeout) {
      values.shutdownTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * PEM certificate chain, server certificate first. Default none. With {@link #tlsKeyFile} (both or
     * neither, checked in {@link #build()}), the OTLP/gRPC and OTLP/HTTP ports serve TLS only; health and
     * metrics stay plain. The files are read by {@link #start()}.
     */
    public Builder tlsCertFile(Path file) {
      values.tlsCertFile = requireNonNull(file, "file");
      return this;
    }

    /** PEM private key of the certificate: PKCS#8 (RSA or EC) or PKCS#1 RSA, unencrypted. Default none. */
    public Builder tlsKeyFile(Path file) {
      values.tlsKeyFile = requireNonNull(file, "file");
      return this;
    }

    /** PEM CA bundle; when set, OTLP clients must present a certificate it signed (mTLS). Default none. */
    public Builder tlsClientCaFile(Path file) {
      values.tlsClientCaFile = requireNonNull(file, "file");
      return this;
    }

    /** Test seam: publish through {@code publisher} instead of a Kafka producer. */
    Builder recordPublisher(RecordPublisher publisher) {
      this.publisher = requireNonNull(publisher, "publisher");
      return this;
    }

    /** Test seam: health answers from {@code probe} instead of a Kafka admin client. */
    Builder kafkaProbe(BooleanSupplier probe) {
      this.probe = requireNonNull(probe, "probe");
      return this;
    }

    public OtlpGateway build() {
      GatewaySettings settings = values.resolve(publisher == null);
      return new OtlpGateway(settings, publisher, probe);
    }

    private static <T> T requireNonNull(T value, String name) {
      return java.util.Objects.requireNonNull(value, name);
    }
  }
}
