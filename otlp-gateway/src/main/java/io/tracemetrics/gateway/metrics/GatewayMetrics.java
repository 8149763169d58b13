package io.tracemetrics.gateway.metrics;

import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The gateway's self-metrics: one place that names every instrument, so the README list and the code
 * cannot drift apart silently ({@code GatewayMetricsTest} checks the names).
 */
public final class GatewayMetrics {
  /** Prefix of every gateway metric name. */
  static final String PREFIX = "otlp_gateway_";

  private static final double[] SEND_SECONDS_BOUNDS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  private final MetricsRegistry registry;
  private final Counter requests;
  private final Counter spansAccepted;
  private final Counter spansRefused;
  private final Counter kafkaRecords;
  private final Counter splitRequests;
  private final Histogram kafkaSendSeconds;
  private final Counter jsonFieldsIgnored;
  private final Counter legacyFieldsTranscoded;

  /** Creates the instruments in {@code registry}. */
  public GatewayMetrics(MetricsRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    requests = registry.counter(PREFIX + "requests_total",
        "Export requests answered, by protocol (grpc, http) and answer code.", "protocol", "code");
    spansAccepted = registry.counter(PREFIX + "spans_accepted_total",
        "Spans acknowledged by Kafka and confirmed to the client.", "protocol");
    spansRefused = registry.counter(PREFIX + "spans_refused_total",
        "Spans of decodable requests that were answered with an error, by reason.", "protocol", "reason");
    kafkaRecords = registry.counter(PREFIX + "kafka_records_total",
        "Kafka records produced, by result (sent, failed).", "result");
    splitRequests = registry.counter(PREFIX + "split_requests_total",
        "Requests larger than one Kafka record, split at ResourceSpans/ScopeSpans/span boundaries.");
    kafkaSendSeconds = registry.histogram(PREFIX + "kafka_send_duration_seconds",
        "Time from handing a request's records to the producer until Kafka acknowledged all of them.",
        SEND_SECONDS_BOUNDS);
    jsonFieldsIgnored = registry.counter(PREFIX + "json_fields_ignored_total",
        "OTLP/JSON fields ignored and reported to the client, by reason (unknown_field, legacy_duplicate).",
        "reason");
    legacyFieldsTranscoded = registry.counter(PREFIX + "legacy_fields_transcoded_total",
        "Pre-1.0 OTLP/JSON fields moved to their current names, by the name sent.", "field");
  }

  /** The registry the instruments live in (for the scrape endpoint). */
  MetricsRegistry registry() {
    return registry;
  }

  public void requestAnswered(String protocol, String code) {
    requests.inc(protocol, code);
  }

  public void spansAccepted(String protocol, long spans) {
    spansAccepted.add(spans, protocol);
  }

  public void spansRefused(String protocol, String reason, long spans) {
    spansRefused.add(spans, protocol, reason);
  }

  public void kafkaRecords(String result, long records) {
    kafkaRecords.add(records, result);
  }

  public void requestSplit() {
    splitRequests.inc();
  }

  public void jsonFieldsIgnored(String reason, long fields) {
    jsonFieldsIgnored.add(fields, reason);
  }

  public void legacyFieldTranscoded(String field, long times) {
    legacyFieldsTranscoded.add(times, field);
  }

  public void kafkaSendSeconds(double seconds) {
    kafkaSendSeconds.observe(seconds);
  }

  /** Registers the in-flight bytes gauge (read at scrape time). */
  public void inFlightBytes(DoubleSupplier bytes) {
    registry.gauge(PREFIX + "in_flight_bytes",
        "Decoded request bytes held while waiting for Kafka acknowledgements.", bytes);
  }

  /** Registers the Kafka reachability gauge (1 reachable, 0 not), read at scrape time. */
  public void kafkaReachable(DoubleSupplier reachable) {
    registry.gauge(PREFIX + "kafka_reachable",
        "1 when the last (cached) Kafka cluster probe succeeded, else 0.", reachable);
  }

  /** Registers the start time gauge. */
  public void startTimeSeconds(double epochSeconds) {
    registry.gauge(PREFIX + "start_time_seconds", "Start time of the gateway, Unix seconds.",
        () -> epochSeconds);
  }

  // Test read-outs.
  public long requests(String protocol, String code) {
    return requests.value(protocol, code);
  }

  public long spansAccepted(String protocol) {
    return spansAccepted.value(protocol);
  }

  public long spansRefused(String protocol, String reason) {
    return spansRefused.value(protocol, reason);
  }

  public long jsonFieldsIgnored(String reason) {
    return jsonFieldsIgnored.value(reason);
  }

  public long legacyFieldsTranscoded(String field) {
    return legacyFieldsTranscoded.value(field);
  }
}
