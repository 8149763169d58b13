package io.tracemetrics.gateway.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Which producer properties would break "a request is acknowledged only after Kafka acknowledged every
 * record of it", so that a passthrough property ({@code --kafka.client.*}, {@code GATEWAY_KAFKA_CLIENT_*}, or
 * the deprecated {@code --kafka.*}, {@code GATEWAY_KAFKA_PROP_*}) cannot quietly weaken it. Checked on the
 * properties as given, before any producer exists; a property that is absent keeps the gateway's safe setting.
 */
final class ProducerSafety {
  /** Kafka's limit for idempotence: more in-flight requests and ordering and deduplication are lost. */
  static final int MAX_IN_FLIGHT_WITH_IDEMPOTENCE = 5;

  private ProducerSafety() {}

  /** What is unsafe about {@code properties}, one sentence per property; empty when nothing is. */
  static List<String> problems(Map<String, ?> properties) {
    List<String> problems = new ArrayList<>();
    String acks = text(properties, ProducerConfig.ACKS_CONFIG);
    if (acks != null && !acks.equals("all") && !acks.equals("-1")) {
      problems.add("acks=" + acks + " must be all (or -1): with 0 or 1 a broker answers before the replicas"
          + " have the record, and a leader failure loses records the client was told are stored");
    }
    String idempotence = text(properties, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
    if (idempotence != null && !idempotence.equals("true")) {
      problems.add("enable.idempotence=" + idempotence + " must be true: without it a retried batch can be"
          + " written twice or out of order");
    }
    Long inFlight = number(properties, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, problems);
    if (inFlight != null && (inFlight < 1 || inFlight > MAX_IN_FLIGHT_WITH_IDEMPOTENCE)) {
      problems.add("max.in.flight.requests.per.connection=" + inFlight + " must be 1 to "
          + MAX_IN_FLIGHT_WITH_IDEMPOTENCE + ": the idempotent producer keeps order and drops duplicates only"
          + " up to " + MAX_IN_FLIGHT_WITH_IDEMPOTENCE);
    }
    Long retries = number(properties, ProducerConfig.RETRIES_CONFIG, problems);
    if (retries != null && retries < 1) {
      problems.add("retries=" + retries + " must be positive: the idempotent producer needs retries, and"
          + " delivery.timeout.ms already bounds them");
    }
    if (text(properties, ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null) {
      problems.add("transactional.id must not be set: the gateway does not use transactions, so every send"
          + " would fail, and read_committed consumers would never see its records");
    }
    for (String fixed : List.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)) {
      if (properties.containsKey(fixed)) {
        problems.add(fixed + " must not be set: records are the request's bytes, written with the"
            + " byte-array serializer");
      }
    }
    return problems;
  }

  /** Throws with every problem of {@code properties} in one message; does nothing when they are safe. */
  static void check(Map<String, ?> properties) {
    List<String> problems = problems(properties);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("unsafe Kafka producer properties (the gateway acknowledges a request"
          + " only after Kafka stored every record of it): " + String.join("; ", problems));
    }
  }

  /** The property as Kafka reads it (trimmed, case-insensitive), or null when absent. */
  @Nullable
  private static String text(Map<String, ?> properties, String key) {
    Object value = properties.get(key);
    return value == null ? null : value.toString().trim().toLowerCase(Locale.ROOT);
  }

  @Nullable
  private static Long number(Map<String, ?> properties, String key, List<String> problems) {
    String value = text(properties, key);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      problems.add(key + "=" + value + " is not a number");
      return null;
    }
  }
}
