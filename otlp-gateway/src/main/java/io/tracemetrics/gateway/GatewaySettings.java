package io.tracemetrics.gateway;

import io.tracemetrics.gateway.kafka.KafkaRecordPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/** The gateway's effective, validated configuration; the defaults live here and nowhere else. */
record GatewaySettings(
    String kafkaBootstrapServers,
    String topic,
    @Nullable String region,
    Map<String, Object> kafkaProperties,
    String bindAddress,
    int grpcPort,
    int httpPort,
    int healthPort,
    int metricsPort,
    int maxMessageBytes,
    int maxRecordBytes,
    Duration sendTimeout,
    long maxInFlightBytes,
    long retryAfterSeconds,
    int httpThreads,
    int httpIoThreads,
    int grpcThreads,
    String kafkaCompression,
    int kafkaLingerMs,
    int kafkaBatchSize,
    @Nullable String authToken,
    List<String> corsAllowedOrigins,
    Duration shutdownTimeout,
    @Nullable Path tlsCertFile,
    @Nullable Path tlsKeyFile,
    @Nullable Path tlsClientCaFile) {

  static final String DEFAULT_TOPIC = "otlp_spans";
  static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
  static final int DEFAULT_GRPC_PORT = 4317;
  static final int DEFAULT_HTTP_PORT = 4318;
  static final int DEFAULT_HEALTH_PORT = 13133;
  static final int DEFAULT_METRICS_PORT = 8888;
  static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
  static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
  static final long DEFAULT_SEND_TIMEOUT_MS = 30_000;
  static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 256L * 1024 * 1024;
  static final long DEFAULT_RETRY_AFTER_SECONDS = 5;
  static final int DEFAULT_HTTP_THREADS = 16;
  /** 0: one per core ({@link Mutable#ioThreadsFor}). */
  static final int DEFAULT_HTTP_IO_THREADS = 0;
  static final int DEFAULT_GRPC_THREADS = 16;
  static final String DEFAULT_KAFKA_COMPRESSION = "lz4";
  static final int DEFAULT_KAFKA_LINGER_MS = 10;
  static final int DEFAULT_KAFKA_BATCH_SIZE = 256 * 1024;
  static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

  GatewaySettings {
    kafkaProperties = Map.copyOf(kafkaProperties);
    corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
  }

  /** Whether the OTLP ports (gRPC and HTTP) serve TLS. */
  boolean tlsEnabled() {
    return tlsCertFile != null;
  }

  /** What the builder collects; unset values are null and take their default in {@link #resolve}. */
  static final class Mutable {
    String kafkaBootstrapServers;
    String topic;
    String region;
    final Map<String, Object> kafkaProperties = new LinkedHashMap<>();
    String bindAddress;
    Integer grpcPort;
    Integer httpPort;
    Integer healthPort;
    Integer metricsPort;
    Integer maxMessageBytes;
    Integer maxRecordBytes;
    Duration sendTimeout;
    Long maxInFlightBytes;
    Long retryAfterSeconds;
    Integer httpThreads;
    Integer httpIoThreads;
    Integer grpcThreads;
    String kafkaCompression;
    Integer kafkaLingerMs;
    Integer kafkaBatchSize;
    String authToken;
    List<String> corsAllowedOrigins;
    Duration shutdownTimeout;
    Path tlsCertFile;
    Path tlsKeyFile;
    Path tlsClientCaFile;

    GatewaySettings resolve(boolean kafkaRequired) {
      if (kafkaRequired && (kafkaBootstrapServers == null || kafkaBootstrapServers.isBlank())) {
        throw new IllegalStateException("kafkaBootstrapServers is required");
      }
      GatewaySettings settings = new GatewaySettings(
          kafkaBootstrapServers == null ? "" : kafkaBootstrapServers,
          or(topic, DEFAULT_TOPIC),
          region == null || region.isBlank() ? null : region,
          kafkaProperties,
          or(bindAddress, DEFAULT_BIND_ADDRESS),
          port(grpcPort, DEFAULT_GRPC_PORT, "grpcPort"),
          port(httpPort, DEFAULT_HTTP_PORT, "httpPort"),
          port(healthPort, DEFAULT_HEALTH_PORT, "healthPort"),
          port(metricsPort, DEFAULT_METRICS_PORT, "metricsPort"),
          positive(or(maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES), "maxMessageBytes"),
          positive(or(maxRecordBytes, DEFAULT_MAX_RECORD_BYTES), "maxRecordBytes"),
          or(sendTimeout, Duration.ofMillis(DEFAULT_SEND_TIMEOUT_MS)),
          or(maxInFlightBytes, DEFAULT_MAX_IN_FLIGHT_BYTES),
          or(retryAfterSeconds, DEFAULT_RETRY_AFTER_SECONDS),
          positive(or(httpThreads, DEFAULT_HTTP_THREADS), "httpThreads"),
          ioThreadsFor(or(httpIoThreads, DEFAULT_HTTP_IO_THREADS)),
          positive(or(grpcThreads, DEFAULT_GRPC_THREADS), "grpcThreads"),
          or(kafkaCompression, DEFAULT_KAFKA_COMPRESSION),
          or(kafkaLingerMs, DEFAULT_KAFKA_LINGER_MS),
          positive(or(kafkaBatchSize, DEFAULT_KAFKA_BATCH_SIZE), "kafkaBatchSize"),
          authToken == null || authToken.isEmpty() ? null : authToken,
          or(corsAllowedOrigins, List.of()),
          or(shutdownTimeout, Duration.ofMillis(DEFAULT_SHUTDOWN_TIMEOUT_MS)),
          tlsCertFile,
          tlsKeyFile,
          tlsClientCaFile);
      KafkaRecordPublisher.checkPassthroughProperties(kafkaProperties);
      if ((tlsCertFile == null) != (tlsKeyFile == null)) {
        throw new IllegalStateException("tlsCertFile and tlsKeyFile go together: set both or neither");
      }
      if (tlsClientCaFile != null && tlsCertFile == null) {
        throw new IllegalStateException("tlsClientCaFile needs tlsCertFile and tlsKeyFile (client "
            + "certificates are only asked for over TLS)");
      }
      if (settings.sendTimeout().isNegative() || settings.sendTimeout().isZero()) {
        throw new IllegalStateException("sendTimeout must be positive: " + settings.sendTimeout());
      }
      if (settings.maxRecordBytes() < 4096) {
        throw new IllegalStateException("maxRecordBytes must be at least 4096: " + settings.maxRecordBytes());
      }
      return settings;
    }

    private static <T> T or(@Nullable T value, T fallback) {
      return value == null ? fallback : value;
    }

    private static int port(@Nullable Integer port, int fallback, String name) {
      int value = or(port, fallback);
      if (value < 0 || value > 65535) {
        throw new IllegalStateException(name + " out of range: " + value);
      }
      return value;
    }

    /** I/O threads for a setting: the number given, or one per core for 0. */
    static int ioThreadsFor(int setting) {
      if (setting < 0) {
        throw new IllegalStateException("httpIoThreads must be 0 (one per core) or positive: " + setting);
      }
      return setting == 0 ? Runtime.getRuntime().availableProcessors() : setting;
    }

    private static int positive(int value, String name) {
      if (value <= 0) {
        throw new IllegalStateException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
