package io.tracemetrics.job;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;

/**
 * Kafka client properties passed through to every source's consumer and to the dead-letter producer:
 * SASL, TLS and any tuning. A flag {@code --kafka.client.<property> value}, or an environment variable
 * {@code JOB_KAFKA_CLIENT_<PROPERTY>} with the property upper-cased and dots as underscores.
 */
final class KafkaClientProperties {
  static final String FLAG_PREFIX = "kafka.client.";
  static final String ENV_PREFIX = "JOB_KAFKA_CLIENT_";
  /** Set from the job's own options; a second way to set them would only be a way to contradict them. */
  private static final Set<String> OWN = Set.of("bootstrap.servers", "group.id");
  private static final String[] SECRET_WORDS = {"password", "jaas", "secret", "token", "credentials"};

  private KafkaClientProperties() {}

  static boolean isFlag(String key) {
    return key.startsWith(FLAG_PREFIX) && key.length() > FLAG_PREFIX.length();
  }

  /** The environment's {@code JOB_KAFKA_CLIENT_*} variables as {@code kafka.client.*} keys. */
  static Map<String, String> fromEnvironment(Map<String, String> environment) {
    Map<String, String> keys = new TreeMap<>();
    environment.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
        String property = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        keys.put(FLAG_PREFIX + property, value);
      }
    });
    return keys;
  }

  /** The properties in a configuration, without their prefix. */
  static Map<String, String> of(Configuration config) {
    Map<String, String> properties = new TreeMap<>();
    config.toMap().forEach((key, value) -> {
      if (isFlag(key)) {
        String property = key.substring(FLAG_PREFIX.length());
        if (OWN.contains(property)) {
          throw new IllegalArgumentException("set " + property + " with the job's own options (kafka.bootstrap-servers,"
              + " kafka.group-id, kafka.sources), not as " + key);
        }
        properties.put(property, value);
      }
    });
    return properties;
  }

  /** Whether a property's value must not be logged. */
  static boolean isSecret(String property) {
    String name = property.toLowerCase(Locale.ROOT);
    for (String word : SECRET_WORDS) {
      if (name.contains(word)) {
        return true;
      }
    }
    return false;
  }
}
