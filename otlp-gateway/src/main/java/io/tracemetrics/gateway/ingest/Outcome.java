package io.tracemetrics.gateway.ingest;

/** How the gateway ended a decodable export request; each receiver maps it to its protocol's answer. */
public enum Outcome {
  /** Every record was acknowledged by Kafka. */
  ACCEPTED("accepted", false),
  /** Kafka failed or did not acknowledge in time; the client should retry. */
  KAFKA_UNAVAILABLE("kafka_unavailable", true),
  /** Too many bytes already in flight; the client should retry later. */
  MEMORY_LIMIT("memory_limit", true),
  /** One span alone exceeds the Kafka record size; retrying cannot help. */
  SPAN_TOO_LARGE("span_too_large", false);

  private final String reason;
  private final boolean retryable;

  Outcome(String reason, boolean retryable) {
    this.reason = reason;
    this.retryable = retryable;
  }

  /** Label value for the refusal metrics. */
  public String reason() {
    return reason;
  }

  boolean retryable() {
    return retryable;
  }
}
