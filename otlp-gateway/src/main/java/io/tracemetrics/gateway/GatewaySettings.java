package io.tracemetrics.gateway;

import static io.tracemetrics.gateway.GatewaySetting.integer;
import static io.tracemetrics.gateway.GatewaySetting.list;
import static io.tracemetrics.gateway.GatewaySetting.longInteger;
import static io.tracemetrics.gateway.GatewaySetting.millis;
import static io.tracemetrics.gateway.GatewaySetting.path;
import static io.tracemetrics.gateway.GatewaySetting.secretText;
import static io.tracemetrics.gateway.GatewaySetting.text;

import io.tracemetrics.gateway.kafka.KafkaRecordPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Every gateway setting, each defined once here: name (flag and environment variable follow from it),
 * default, description, secrecy and accepted values. Flags and variables ({@link GatewayOptions}), the
 * builder's setters ({@link OtlpGateway.Builder}), the effective-configuration log line and the README's
 * options table all come from these definitions. An instance is the effective, validated configuration of
 * one gateway.
 */
final class GatewaySettings {
  private static final int MAX_PORT = 65535;

  static final GatewaySetting<String> KAFKA_BOOTSTRAP_SERVERS = text("kafka-bootstrap-servers", null,
      "Kafka bootstrap servers, `host:port[,host:port]`. Required.");
  static final GatewaySetting<String> TOPIC = text("topic", "otlp_spans",
      "Kafka topic the TracesData records go to.");
  static final GatewaySetting<String> REGION = text("region", null,
      "Region name; when set, every record carries the Kafka header `region`.");
  static final GatewaySetting<String> BIND_ADDRESS = text("bind-address", "0.0.0.0",
      "Address all four servers bind to.");
  static final GatewaySetting<Integer> GRPC_PORT = integer("grpc-port", 4317, 0, MAX_PORT,
      "OTLP/gRPC port (0 = any free port).");
  static final GatewaySetting<Integer> HTTP_PORT = integer("http-port", 4318, 0, MAX_PORT,
      "OTLP/HTTP port (0 = any free port).");
  static final GatewaySetting<Integer> HEALTH_PORT = integer("health-port", 13133, 0, MAX_PORT,
      "Health port, `GET /health/status`.");
  static final GatewaySetting<Integer> METRICS_PORT = integer("metrics-port", 8888, 0, MAX_PORT,
      "Self-metrics port, `GET /metrics`.");
  static final GatewaySetting<Integer> MAX_MESSAGE_BYTES = integer("max-message-bytes", 16 * 1024 * 1024, 1,
      Integer.MAX_VALUE, "Largest request: gRPC message, HTTP body both compressed and decompressed.");
  static final GatewaySetting<Integer> MAX_RECORD_BYTES = integer("max-record-bytes", 1024 * 1024, 4096,
      Integer.MAX_VALUE, "Producer `max.request.size`; larger requests are split into several records.");
  static final GatewaySetting<Duration> SEND_TIMEOUT = millis("send-timeout-ms", 30_000, 1,
      "How long a request waits for Kafka's acknowledgement before a retryable answer.");
  static final GatewaySetting<Long> MAX_IN_FLIGHT_BYTES = longInteger("max-in-flight-bytes", 256L * 1024 * 1024,
      0, "Request bytes waiting for Kafka beyond which requests are refused (retryable); 0 = no limit.");
  static final GatewaySetting<Long> RETRY_AFTER_SECONDS = longInteger("retry-after-seconds", 5, 0,
      "Delay suggested in `Retry-After` and gRPC `RetryInfo`.");
  static final GatewaySetting<Integer> HTTP_THREADS = integer("http-threads", 16, 1, Integer.MAX_VALUE,
      "OTLP/HTTP worker threads.");
  static final GatewaySetting<Integer> HTTP_IO_THREADS = integer("http-io-threads", 0, 0, Integer.MAX_VALUE,
      "OTLP/HTTP I/O threads: they read requests, and scan and send uncompressed protobuf bodies up to 1 MiB "
          + "themselves; 0 = one per core.")
      .meaning(threads -> threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
  static final GatewaySetting<Integer> GRPC_THREADS = integer("grpc-threads", 16, 1, Integer.MAX_VALUE,
      "OTLP/gRPC worker threads.");
  static final GatewaySetting<String> KAFKA_COMPRESSION = text("kafka-compression", "lz4",
      "Producer `compression.type` (`lz4`, `zstd`, `snappy`, `gzip`, `none`).");
  static final GatewaySetting<Integer> KAFKA_LINGER_MS = integer("kafka-linger-ms", 10, 0, Integer.MAX_VALUE,
      "Producer `linger.ms`.");
  static final GatewaySetting<Integer> KAFKA_BATCH_SIZE = integer("kafka-batch-size", 256 * 1024, 1,
      Integer.MAX_VALUE, "Producer `batch.size` in bytes.");
  static final GatewaySetting<String> AUTH_TOKEN = secretText("auth-token",
      "Bearer token clients must send; empty = no authentication.");
  static final GatewaySetting<List<String>> CORS_ALLOWED_ORIGINS = list("cors-allowed-origins",
      "Comma-separated origins allowed to POST OTLP/HTTP from browsers (`*` = any); empty = CORS off.");
  static final GatewaySetting<Duration> SHUTDOWN_TIMEOUT = millis("shutdown-timeout-ms", 30_000, 0,
      "On SIGTERM, how long in-flight requests and the producer flush may take.");
  static final GatewaySetting<Path> TLS_CERT_FILE = path("tls-cert-file",
      "PEM certificate chain (server certificate first); with `--tls-key-file`, the OTLP gRPC and HTTP "
          + "ports serve TLS only. Health and metrics stay plain.");
  static final GatewaySetting<Path> TLS_KEY_FILE = path("tls-key-file",
      "PEM private key of that certificate: PKCS#8 (`BEGIN PRIVATE KEY`, RSA or EC) or PKCS#1 "
          + "(`BEGIN RSA PRIVATE KEY`), unencrypted. Only the path is logged.");
  static final GatewaySetting<Path> TLS_CLIENT_CA_FILE = path("tls-client-ca-file",
      "PEM CA bundle; when set, OTLP clients must present a certificate it signed (mutual TLS).");

  /** Every setting, in the order of the README's table, of {@code --help} and of the log. */
  static final List<GatewaySetting<?>> ALL = List.of(KAFKA_BOOTSTRAP_SERVERS, TOPIC, REGION, BIND_ADDRESS,
      GRPC_PORT, HTTP_PORT, HEALTH_PORT, METRICS_PORT, MAX_MESSAGE_BYTES, MAX_RECORD_BYTES, SEND_TIMEOUT,
      MAX_IN_FLIGHT_BYTES, RETRY_AFTER_SECONDS, HTTP_THREADS, HTTP_IO_THREADS, GRPC_THREADS, KAFKA_COMPRESSION,
      KAFKA_LINGER_MS, KAFKA_BATCH_SIZE, AUTH_TOKEN, CORS_ALLOWED_ORIGINS, SHUTDOWN_TIMEOUT, TLS_CERT_FILE,
      TLS_KEY_FILE, TLS_CLIENT_CA_FILE);

  private final Map<GatewaySetting<?>, Object> values;
  private final Map<String, Object> kafkaProperties;

  private GatewaySettings(Map<GatewaySetting<?>, Object> values, Map<String, Object> kafkaProperties) {
    this.values = values;
    this.kafkaProperties = Map.copyOf(kafkaProperties);
  }

  /**
   * The effective settings for the values {@code given} (a setting not given takes its default) and the
   * Kafka client properties passed through; Kafka's bootstrap servers are required when
   * {@code kafkaRequired}.
   *
   * @throws IllegalStateException naming the setting, for the first value or combination not accepted
   */
  static GatewaySettings resolve(Map<GatewaySetting<?>, Object> given, Map<String, Object> kafkaProperties,
      boolean kafkaRequired) {
    Map<GatewaySetting<?>, Object> values = new HashMap<>();
    for (GatewaySetting<?> setting : ALL) {
      Object value = resolve(setting, given.get(setting));
      if (value != null) {
        values.put(setting, value);
      }
    }
    GatewaySettings settings = new GatewaySettings(values, kafkaProperties);
    if (kafkaRequired && settings.get(KAFKA_BOOTSTRAP_SERVERS) == null) {
      throw new IllegalStateException(KAFKA_BOOTSTRAP_SERVERS.name() + " is required");
    }
    KafkaRecordPublisher.checkPassthroughProperties(settings.kafkaProperties);
    if ((settings.get(TLS_CERT_FILE) == null) != (settings.get(TLS_KEY_FILE) == null)) {
      throw new IllegalStateException(TLS_CERT_FILE.name() + " and " + TLS_KEY_FILE.name()
          + " go together: set both or neither");
    }
    if (settings.get(TLS_CLIENT_CA_FILE) != null && !settings.tlsEnabled()) {
      throw new IllegalStateException(TLS_CLIENT_CA_FILE.name() + " needs " + TLS_CERT_FILE.name() + " and "
          + TLS_KEY_FILE.name() + " (client certificates are only asked for over TLS)");
    }
    return settings;
  }

  private static <T> T resolve(GatewaySetting<T> setting, @Nullable Object given) {
    @SuppressWarnings("unchecked") // the builder stores a setting's own type only: see OtlpGateway.Builder#set
    T typed = (T) given;
    return setting.resolve(typed);
  }

  /** The value of a setting, or null when it has none (e.g. no region, no TLS files). */
  @Nullable <T> T get(GatewaySetting<T> setting) {
    @SuppressWarnings("unchecked") // stored under its own setting by resolve
    T value = (T) values.get(setting);
    return value;
  }

  /** Kafka client properties passed through, as given. */
  Map<String, Object> kafkaProperties() {
    return kafkaProperties;
  }

  /** Whether the OTLP ports (gRPC and HTTP) serve TLS. */
  boolean tlsEnabled() {
    return get(TLS_CERT_FILE) != null;
  }
}
