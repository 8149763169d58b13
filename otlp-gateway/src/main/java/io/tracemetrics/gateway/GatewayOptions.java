package io.tracemetrics.gateway;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line and environment of {@link GatewayMain}: the settings of {@link GatewaySettings#ALL}, with
 * the flink-job's convention. A setting named {@code grpc-port} is the flag {@code --grpc-port N} (or
 * {@code --grpc-port=N}) and the environment variable {@code GATEWAY_GRPC_PORT}; a flag wins over the
 * environment, which wins over the default. Kafka client
 * properties pass through as {@code --kafka.client.<property> value} or
 * {@code GATEWAY_KAFKA_CLIENT_<PROPERTY>} (upper case, dots written as underscores). The older
 * {@code --kafka.<property>} and {@code GATEWAY_KAFKA_PROP_<PROPERTY>} still work for one release, each use
 * logging a deprecation warning.
 */
final class GatewayOptions {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayOptions.class);

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

  private final Map<GatewaySetting<?>, String> values;
  private final Map<String, String> kafkaProperties;
  private final boolean help;

  private GatewayOptions(Map<GatewaySetting<?>, String> values, Map<String, String> kafkaProperties, boolean help) {
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
    Map<GatewaySetting<?>, String> values = new LinkedHashMap<>();
    Map<String, String> kafka = new LinkedHashMap<>();
    for (GatewaySetting<?> setting : GatewaySettings.ALL) {
      values.put(setting, env.getOrDefault(setting.envVar(), setting.defaultText()));
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
      GatewaySetting<?> setting = setting(name);
      if (setting != null) {
        values.put(setting, value);
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

  /** The setting named {@code name}, or null when there is none. */
  static GatewaySetting<?> setting(String name) {
    return GatewaySettings.ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  /** A setting's value as given (flag, variable or default), empty for none. */
  String value(String name) {
    return values.get(Objects.requireNonNull(setting(name), name));
  }

  Map<String, String> kafkaProperties() {
    return Map.copyOf(kafkaProperties);
  }

  /** A builder with every non-empty setting applied; number format errors name the setting. */
  OtlpGateway.Builder toBuilder() {
    OtlpGateway.Builder builder = OtlpGateway.builder();
    values.forEach((setting, value) -> {
      if (!value.isEmpty()) {
        set(builder, setting, value);
      }
    });
    kafkaProperties.forEach(builder::kafkaProperty);
    return builder;
  }

  private static <T> void set(OtlpGateway.Builder builder, GatewaySetting<T> setting, String value) {
    T parsed;
    try {
      parsed = setting.parse(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting.flag() + ": not a number: " + value, e);
    }
    builder.set(setting, parsed);
  }

  /** The effective settings for the log, secrets masked. */
  String describe() {
    StringBuilder out = new StringBuilder();
    values.forEach((setting, value) -> out.append("\n  ").append(setting.name()).append(" = ")
        .append(setting.secret() && !value.isEmpty() ? "****" : value));
    kafkaProperties.forEach((key, value) -> out.append("\n  ").append(KAFKA_CLIENT_PREFIX).append(key)
        .append(" = ").append(isSecret(key) ? "****" : value));
    return out.toString();
  }

  /**
   * The options table of {@code --help} and of the README (whose rows a test checks against it): one row per
   * setting of {@link GatewaySettings#ALL}, then the Kafka client passthrough.
   */
  static String markdownTable() {
    StringBuilder out = new StringBuilder();
    out.append("| Flag | Environment variable | Default | Meaning |\n");
    out.append("|---|---|---|---|\n");
    for (GatewaySetting<?> setting : GatewaySettings.ALL) {
      out.append("| `").append(setting.flag()).append("` | `").append(setting.envVar()).append("` | ")
          .append(setting.defaultText().isEmpty() ? "(none)" : "`" + setting.defaultText() + "`")
          .append(" | ").append(setting.description()).append(" |\n");
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
}
