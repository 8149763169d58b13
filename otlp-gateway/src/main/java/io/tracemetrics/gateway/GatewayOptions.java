package io.tracemetrics.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every command-line and environment setting of {@link GatewayMain}, in one place, with the flink-job's
 * convention. A setting named {@code grpc-port} is the flag {@code --grpc-port N} (or {@code --grpc-port=N})
 * and the environment variable {@code GATEWAY_GRPC_PORT}; a flag wins over the environment. Kafka client
 * properties pass through as {@code --kafka.client.<property> value} or
 * {@code GATEWAY_KAFKA_CLIENT_<PROPERTY>} (upper case, dots written as underscores). The older
 * {@code --kafka.<property>} and {@code GATEWAY_KAFKA_PROP_<PROPERTY>} still work for one release, each use
 * logging a deprecation warning.
 */
final class GatewayOptions {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayOptions.class);

  static final String ENV_PREFIX = "GATEWAY_";
  /** Passthrough flag name prefix (without the leading {@code --}), as the job's {@code kafka.client.}. */
  static final String KAFKA_CLIENT_PREFIX = "kafka.client.";
  static final String KAFKA_CLIENT_ENV_PREFIX = "GATEWAY_KAFKA_CLIENT_";
  /** Deprecated passthrough spellings, accepted with a warning for one release. */
  static final String OLD_KAFKA_PREFIX = "kafka.";
  static final String OLD_KAFKA_ENV_PREFIX = "GATEWAY_KAFKA_PROP_";
  /** The job's words (flink-job KafkaClientProperties): a property whose name contains one is masked. */
  static final List<String> SECRET_WORDS = List.of("password", "jaas", "secret", "token", "credentials");
  /**
   * Properties the gateway's Kafka clients know. An old flag {@code --kafka.client.id=x} meant the property
   * {@code client.id}; read with the new spelling it would be the unknown property {@code id}, so such a flag
   * is taken in its old sense (with the deprecation warning).
   */
  private static final Set<String> KNOWN_KAFKA_PROPERTIES = knownKafkaProperties();

  /** One setting: name, default (empty = none), description, and how it reaches the builder. */
  record Option(String name, String defaultValue, String description, boolean secret,
      BiConsumer<OtlpGateway.Builder, String> apply) {
    String flag() {
      return "--" + name;
    }

    String envVar() {
      return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
  }

  static final List<Option> ALL = List.of(
      option("kafka-bootstrap-servers", "", "Kafka bootstrap servers, `host:port[,host:port]`. Required.",
          OtlpGateway.Builder::kafkaBootstrapServers),
      option("topic", GatewaySettings.DEFAULT_TOPIC, "Kafka topic the TracesData records go to.",
          OtlpGateway.Builder::topic),
      option("region", "", "Region name; when set, every record carries the Kafka header `region`.",
          OtlpGateway.Builder::region),
      option("bind-address", GatewaySettings.DEFAULT_BIND_ADDRESS, "Address all four servers bind to.",
          OtlpGateway.Builder::bindAddress),
      option("grpc-port", GatewaySettings.DEFAULT_GRPC_PORT, "OTLP/gRPC port (0 = any free port).",
          (b, v) -> b.grpcPort(Integer.parseInt(v))),
      option("http-port", GatewaySettings.DEFAULT_HTTP_PORT, "OTLP/HTTP port (0 = any free port).",
          (b, v) -> b.httpPort(Integer.parseInt(v))),
      option("health-port", GatewaySettings.DEFAULT_HEALTH_PORT, "Health port, `GET /health/status`.",
          (b, v) -> b.healthPort(Integer.parseInt(v))),
      option("metrics-port", GatewaySettings.DEFAULT_METRICS_PORT, "Self-metrics port, `GET /metrics`.",
          (b, v) -> b.metricsPort(Integer.parseInt(v))),
      option("max-message-bytes", GatewaySettings.DEFAULT_MAX_MESSAGE_BYTES,
          "Largest request: gRPC message, HTTP body both compressed and decompressed.",
          (b, v) -> b.maxMessageBytes(Integer.parseInt(v))),
      option("max-record-bytes", GatewaySettings.DEFAULT_MAX_RECORD_BYTES,
          "Producer `max.request.size`; larger requests are split into several records.",
          (b, v) -> b.maxRecordBytes(Integer.parseInt(v))),
      option("send-timeout-ms", GatewaySettings.DEFAULT_SEND_TIMEOUT_MS,
          "How long a request waits for Kafka's acknowledgement before a retryable answer.",
          (b, v) -> b.sendTimeout(Duration.ofMillis(Long.parseLong(v)))),
      option("max-in-flight-bytes", GatewaySettings.DEFAULT_MAX_IN_FLIGHT_BYTES,
          "Request bytes waiting for Kafka beyond which requests are refused (retryable); 0 = no limit.",
          (b, v) -> b.maxInFlightBytes(Long.parseLong(v))),
      option("retry-after-seconds", GatewaySettings.DEFAULT_RETRY_AFTER_SECONDS,
          "Delay suggested in `Retry-After` and gRPC `RetryInfo`.",
          (b, v) -> b.retryAfterSeconds(Long.parseLong(v))),
      option("http-threads", GatewaySettings.DEFAULT_HTTP_THREADS, "OTLP/HTTP worker threads.",
          (b, v) -> b.httpThreads(Integer.parseInt(v))),
      option("http-io-threads", GatewaySettings.DEFAULT_HTTP_IO_THREADS,
          "OTLP/HTTP I/O threads: they read requests, and scan and send uncompressed protobuf bodies up to 1 MiB "
              + "themselves; 0 = one per core.",
          (b, v) -> b.httpIoThreads(Integer.parseInt(v))),
      option("grpc-threads", GatewaySettings.DEFAULT_GRPC_THREADS, "OTLP/gRPC worker threads.",
          (b, v) -> b.grpcThreads(Integer.parseInt(v))),
      option("kafka-compression", GatewaySettings.DEFAULT_KAFKA_COMPRESSION,
          "Producer `compression.type` (`lz4`, `zstd`, `snappy`, `gzip`, `none`).",
          OtlpGateway.Builder::kafkaCompression),
      option("kafka-linger-ms", GatewaySettings.DEFAULT_KAFKA_LINGER_MS, "Producer `linger.ms`.",
          (b, v) -> b.kafkaLingerMs(Integer.parseInt(v))),
      option("kafka-batch-size", GatewaySettings.DEFAULT_KAFKA_BATCH_SIZE, "Producer `batch.size` in bytes.",
          (b, v) -> b.kafkaBatchSize(Integer.parseInt(v))),
      new Option("auth-token", "", "Bearer token clients must send; empty = no authentication.", true,
          OtlpGateway.Builder::authToken),
      option("cors-allowed-origins", "",
          "Comma-separated origins allowed to POST OTLP/HTTP from browsers (`*` = any); empty = CORS off.",
          (b, v) -> b.corsAllowedOrigins(splitList(v))),
      option("shutdown-timeout-ms", GatewaySettings.DEFAULT_SHUTDOWN_TIMEOUT_MS,
          "On SIGTERM, how long in-flight requests and the producer flush may take.",
          (b, v) -> b.shutdownTimeout(Duration.ofMillis(Long.parseLong(v)))),
      option("tls-cert-file", "",
          "PEM certificate chain (server certificate first); with `--tls-key-file`, the OTLP gRPC and HTTP "
              + "ports serve TLS only. Health and metrics stay plain.",
          (b, v) -> b.tlsCertFile(Path.of(v))),
      option("tls-key-file", "",
          "PEM private key of that certificate: PKCS#8 (`BEGIN PRIVATE KEY`, RSA or EC) or PKCS#1 "
              + "(`BEGIN RSA PRIVATE KEY`), unencrypted. Only the path is logged.",
          (b, v) -> b.tlsKeyFile(Path.of(v))),
      option("tls-client-ca-file", "",
          "PEM CA bundle; when set, OTLP clients must present a certificate it signed (mutual TLS).",
          (b, v) -> b.tlsClientCaFile(Path.of(v))));

  private final Map<Option, String> values;
  private final Map<String, String> kafkaProperties;
  private final boolean help;

  private GatewayOptions(Map<Option, String> values, Map<String, String> kafkaProperties, boolean help) {
    this.values = values;
    this.kafkaProperties = kafkaProperties;
    this.help = help;
  }

  /**
   * Resolves flags over environment over defaults; throws IllegalArgumentException on unknown flags. Each
   * deprecated passthrough spelling is logged as one WARN line.
   */
  static GatewayOptions parse(String[] args, Map<String, String> env) {
    return parse(args, env, LOG::warn);
  }

  /** As {@link #parse(String[], Map)}, with each deprecation warning given to {@code warn}. */
  static GatewayOptions parse(String[] args, Map<String, String> env, Consumer<String> warn) {
    Map<Option, String> values = new LinkedHashMap<>();
    Map<String, String> kafka = new LinkedHashMap<>();
    for (Option option : ALL) {
      values.put(option, env.getOrDefault(option.envVar(), option.defaultValue()));
    }
    // Sorted, so that warnings come in a stable order; the new spelling wins over the old one.
    new TreeMap<>(env).forEach((key, value) -> {
      if (key.startsWith(OLD_KAFKA_ENV_PREFIX) && key.length() > OLD_KAFKA_ENV_PREFIX.length()) {
        String suffix = key.substring(OLD_KAFKA_ENV_PREFIX.length());
        warn.accept("environment variable " + key + " is deprecated and will be removed in the next release;"
            + " use " + KAFKA_CLIENT_ENV_PREFIX + suffix);
        kafka.putIfAbsent(suffix.toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    new TreeMap<>(env).forEach((key, value) -> {
      if (key.startsWith(KAFKA_CLIENT_ENV_PREFIX) && key.length() > KAFKA_CLIENT_ENV_PREFIX.length()) {
        kafka.put(key.substring(KAFKA_CLIENT_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
        continue;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new IllegalArgumentException("expected --name value (or --name=value), got: " + arg);
      }
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (eq >= 0) {
        name = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else {
        name = arg.substring(2);
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new IllegalArgumentException("--" + name + " needs a value: --" + name + " value (or --"
              + name + "=value for a value that starts with --)");
        }
        value = args[++i];
      }
      // The gateway's own options first: a setting whose name starts with "kafka" is never a passthrough.
      Option option = ALL.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
      if (option != null) {
        values.put(option, value);
        continue;
      }
      String property = passthroughProperty(name, warn);
      if (property == null) {
        throw new IllegalArgumentException("unknown option --" + name + "; see --help");
      }
      kafka.put(property, value);
    }
    return new GatewayOptions(values, kafka, help);
  }

  /** The Kafka property a flag name passes through, or null when it is none; warns about the old spelling. */
  private static String passthroughProperty(String name, Consumer<String> warn) {
    if (name.startsWith(KAFKA_CLIENT_PREFIX) && name.length() > KAFKA_CLIENT_PREFIX.length()) {
      String property = name.substring(KAFKA_CLIENT_PREFIX.length());
      String oldSense = name.substring(OLD_KAFKA_PREFIX.length());
      if (KNOWN_KAFKA_PROPERTIES.contains(property) || !KNOWN_KAFKA_PROPERTIES.contains(oldSense)) {
        return property;
      }
    }
    if (name.startsWith(OLD_KAFKA_PREFIX) && name.length() > OLD_KAFKA_PREFIX.length()) {
      String property = name.substring(OLD_KAFKA_PREFIX.length());
      warn.accept("flag --" + name + " is deprecated and will be removed in the next release; use --"
          + KAFKA_CLIENT_PREFIX + property);
      return property;
    }
    return null;
  }

  /** Whether a Kafka property's value must not be logged: its name contains one of {@link #SECRET_WORDS}. */
  static boolean isSecret(String property) {
    String name = property.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(name::contains);
  }

  private static Set<String> knownKafkaProperties() {
    Set<String> known = new HashSet<>(ProducerConfig.configNames());
    known.addAll(AdminClientConfig.configNames());
    return Set.copyOf(known);
  }

  boolean help() {
    return help;
  }

  String value(String name) {
    return values.get(ALL.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow());
  }

  Map<String, String> kafkaProperties() {
    return Map.copyOf(kafkaProperties);
  }

  /** A builder with every non-empty setting applied; number format errors name the setting. */
  OtlpGateway.Builder toBuilder() {
    OtlpGateway.Builder builder = OtlpGateway.builder();
    values.forEach((option, value) -> {
      if (value.isEmpty()) {
        return;
      }
      try {
        option.apply().accept(builder, value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option.flag() + ": not a number: " + value, e);
      }
    });
    kafkaProperties.forEach(builder::kafkaProperty);
    return builder;
  }

  /** The effective settings for the log, secrets masked. */
  String describe() {
    StringBuilder out = new StringBuilder();
    values.forEach((option, value) -> out.append("\n  ").append(option.name()).append(" = ")
        .append(option.secret() && !value.isEmpty() ? "****" : value));
    kafkaProperties.forEach((key, value) -> out.append("\n  ").append(KAFKA_CLIENT_PREFIX).append(key)
        .append(" = ").append(isSecret(key) ? "****" : value));
    return out.toString();
  }

  /** The README's options table, generated so that a test can check the README against this class. */
  static String markdownTable() {
    StringBuilder out = new StringBuilder();
    out.append("| Flag | Environment variable | Default | Meaning |\n");
    out.append("|---|---|---|---|\n");
    for (Option option : ALL) {
      out.append("| `").append(option.flag()).append("` | `").append(option.envVar()).append("` | ")
          .append(option.defaultValue().isEmpty() ? "(none)" : "`" + option.defaultValue() + "`")
          .append(" | ").append(option.description()).append(" |\n");
    }
    out.append("| `--").append(KAFKA_CLIENT_PREFIX).append("<property>` | `").append(KAFKA_CLIENT_ENV_PREFIX)
        .append("<PROPERTY>` | (none) | Any Kafka client property, e.g. `--kafka.client.security.protocol SASL_SSL`;")
        .append(" in the variable name upper case, dots as underscores. Values of properties whose name contains ")
        .append(String.join(", ", SECRET_WORDS)).append(" are masked in the log. Deprecated, for one release")
        .append(" (each use logs a warning): `--").append(OLD_KAFKA_PREFIX).append("<property>` and `")
        .append(OLD_KAFKA_ENV_PREFIX).append("<PROPERTY>`. |\n");
    return out.toString();
  }

  static String usage() {
    return "Usage: java -jar otlp-gateway-all.jar [--name value ...]\n\n" + markdownTable();
  }

  private static Option option(String name, Object defaultValue, String description,
      BiConsumer<OtlpGateway.Builder, String> apply) {
    return new Option(name, String.valueOf(defaultValue), description, false, apply);
  }

  private static List<String> splitList(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
