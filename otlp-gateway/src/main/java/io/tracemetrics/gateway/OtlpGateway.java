package io.tracemetrics.gateway;

import static java.util.Objects.requireNonNull;

import io.tracemetrics.gateway.kafka.RecordPublisher;
import io.tracemetrics.gateway.metrics.GatewayMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP gateway: OTLP/gRPC and OTLP/HTTP trace receivers that write every request to a Kafka topic
 * as {@code TracesData} records and answer only after Kafka acknowledged all of them; plus a health
 * endpoint and a Prometheus self-metrics endpoint. Create with {@link #builder()}, then {@link #start()}.
 * What runs once started is wired in {@link GatewayServers}.
 */
public final class OtlpGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpGateway.class);

  private final GatewaySettings settings;
  @Nullable private final RecordPublisher injectedPublisher;
  @Nullable private final BooleanSupplier injectedProbe;

  @Nullable private GatewayServers servers;
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
    servers = GatewayServers.start(settings, injectedPublisher, injectedProbe);
    LOG.info("OTLP gateway up: grpc {} http {} health {} metrics {}, topic {}, OTLP TLS {}", grpcPort(),
        httpPort(), healthPort(), metricsPort(), settings.get(GatewaySettings.TOPIC), tlsDescription());
    return this;
  }

  private String tlsDescription() {
    if (!settings.tlsEnabled()) {
      return "off";
    }
    return settings.get(GatewaySettings.TLS_CLIENT_CA_FILE) == null ? "on" : "on, client certificates required";
  }

  public int grpcPort() {
    return running().grpcPort();
  }

  public int httpPort() {
    return running().httpPort();
  }

  public int healthPort() {
    return running().healthPort();
  }

  public int metricsPort() {
    return running().metricsPort();
  }

  private GatewayServers running() {
    if (servers == null) {
      throw new IllegalStateException("not started");
    }
    return servers;
  }

  /** The effective settings the builder resolved (for tests). */
  GatewaySettings settings() {
    return settings;
  }

  /** The self-metrics (for tests and embedding). */
  GatewayMetrics metrics() {
    return running().metrics();
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
    if (servers != null) {
      servers.close();
      LOG.info("OTLP gateway stopped");
    }
  }

  /**
   * Builder. Each setter sets the setting of the same name (e.g. {@code grpcPort}: {@code grpc-port}, the
   * flag {@code --grpc-port}); every setting's default, meaning and accepted values are defined once, in
   * {@code GatewaySettings}, and listed in the README's options table. Only the Kafka bootstrap servers are
   * required; values are checked and defaults applied in {@link #build()}.
   */
  public static final class Builder {
    private final Map<GatewaySetting<?>, Object> values = new HashMap<>();
    private final Map<String, Object> kafkaProperties = new LinkedHashMap<>();
    @Nullable private RecordPublisher publisher;
    @Nullable private BooleanSupplier probe;

    private Builder() {}

    /** Sets {@code kafka-bootstrap-servers}. Required. */
    public Builder kafkaBootstrapServers(String servers) {
      return set(GatewaySettings.KAFKA_BOOTSTRAP_SERVERS, requireNonNull(servers, "servers"));
    }

    /** Sets {@code topic}. */
    public Builder topic(String topic) {
      return set(GatewaySettings.TOPIC, requireNonNull(topic, "topic"));
    }

    /** Sets {@code grpc-port}. 0 picks a free port: see {@link OtlpGateway#grpcPort()}. */
    public Builder grpcPort(int port) {
      return set(GatewaySettings.GRPC_PORT, port);
    }

    /** Sets {@code http-port}. 0 picks a free port: see {@link OtlpGateway#httpPort()}. */
    public Builder httpPort(int port) {
      return set(GatewaySettings.HTTP_PORT, port);
    }

    /** Sets {@code health-port}. 0 picks a free port: see {@link OtlpGateway#healthPort()}. */
    public Builder healthPort(int port) {
      return set(GatewaySettings.HEALTH_PORT, port);
    }

    /** Sets {@code metrics-port}. 0 picks a free port: see {@link OtlpGateway#metricsPort()}. */
    public Builder metricsPort(int port) {
      return set(GatewaySettings.METRICS_PORT, port);
    }

    /** Sets {@code bind-address}. */
    public Builder bindAddress(String host) {
      return set(GatewaySettings.BIND_ADDRESS, requireNonNull(host, "host"));
    }

    /** Sets {@code region}. */
    public Builder region(String region) {
      return set(GatewaySettings.REGION, requireNonNull(region, "region"));
    }

    /** Any Kafka client property (security settings etc.); it wins over the gateway's own settings. */
    public Builder kafkaProperty(String key, String value) {
      kafkaProperties.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** Sets {@code max-message-bytes}. */
    public Builder maxMessageBytes(int bytes) {
      return set(GatewaySettings.MAX_MESSAGE_BYTES, bytes);
    }

    /** Sets {@code max-record-bytes}. */
    public Builder maxRecordBytes(int bytes) {
      return set(GatewaySettings.MAX_RECORD_BYTES, bytes);
    }

    /** Sets {@code send-timeout-ms}. */
    public Builder sendTimeout(Duration timeout) {
      return set(GatewaySettings.SEND_TIMEOUT, requireNonNull(timeout, "timeout"));
    }

    /** Sets {@code max-in-flight-bytes}. */
    public Builder maxInFlightBytes(long bytes) {
      return set(GatewaySettings.MAX_IN_FLIGHT_BYTES, bytes);
    }

    /** Sets {@code retry-after-seconds}. */
    public Builder retryAfterSeconds(long seconds) {
      return set(GatewaySettings.RETRY_AFTER_SECONDS, seconds);
    }

    /** Sets {@code http-threads}. */
    public Builder httpThreads(int threads) {
      return set(GatewaySettings.HTTP_THREADS, threads);
    }

    /** Sets {@code http-io-threads}. */
    public Builder httpIoThreads(int threads) {
      return set(GatewaySettings.HTTP_IO_THREADS, threads);
    }

    /** Sets {@code grpc-threads}. */
    public Builder grpcThreads(int threads) {
      return set(GatewaySettings.GRPC_THREADS, threads);
    }

    /** Sets {@code kafka-compression}. */
    public Builder kafkaCompression(String compression) {
      return set(GatewaySettings.KAFKA_COMPRESSION, requireNonNull(compression, "compression"));
    }

    /** Sets {@code kafka-linger-ms}. */
    public Builder kafkaLingerMs(int lingerMs) {
      return set(GatewaySettings.KAFKA_LINGER_MS, lingerMs);
    }

    /** Sets {@code kafka-batch-size}. */
    public Builder kafkaBatchSize(int bytes) {
      return set(GatewaySettings.KAFKA_BATCH_SIZE, bytes);
    }

    /** Sets {@code auth-token}. */
    public Builder authToken(String token) {
      return set(GatewaySettings.AUTH_TOKEN, requireNonNull(token, "token"));
    }

    /** Sets {@code cors-allowed-origins}. */
    public Builder corsAllowedOrigins(List<String> origins) {
      return set(GatewaySettings.CORS_ALLOWED_ORIGINS, List.copyOf(origins));
    }

    /** Sets {@code shutdown-timeout-ms}. {@link OtlpGateway#close()} waits this long at most. */
    public Builder shutdownTimeout(Duration timeout) {
      return set(GatewaySettings.SHUTDOWN_TIMEOUT, requireNonNull(timeout, "timeout"));
    }

    /** Sets {@code tls-cert-file}. Read by {@link OtlpGateway#start()}. */
    public Builder tlsCertFile(Path file) {
      return set(GatewaySettings.TLS_CERT_FILE, requireNonNull(file, "file"));
    }

    /** Sets {@code tls-key-file}. Read by {@link OtlpGateway#start()}. */
    public Builder tlsKeyFile(Path file) {
      return set(GatewaySettings.TLS_KEY_FILE, requireNonNull(file, "file"));
    }

    /** Sets {@code tls-client-ca-file}. Read by {@link OtlpGateway#start()}. */
    public Builder tlsClientCaFile(Path file) {
      return set(GatewaySettings.TLS_CLIENT_CA_FILE, requireNonNull(file, "file"));
    }

    /** Sets {@code setting} to {@code value}, as the setter of that setting does. */
    <T> Builder set(GatewaySetting<T> setting, T value) {
      values.put(setting, requireNonNull(value, setting.name()));
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

    /**
     * The gateway, not started yet.
     *
     * @throws IllegalStateException naming the setting whose value, or combination, is not accepted
     */
    public OtlpGateway build() {
      GatewaySettings settings = GatewaySettings.resolve(values, kafkaProperties, publisher == null);
      return new OtlpGateway(settings, publisher, probe);
    }
  }
}
