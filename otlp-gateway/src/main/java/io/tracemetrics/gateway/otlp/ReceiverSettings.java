package io.tracemetrics.gateway.otlp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What both receivers need to know besides the ingest path.
 *
 * @param maxMessageBytes largest accepted request (HTTP body before and after gzip, gRPC message)
 * @param answerTimeout how long a request may wait for Kafka before it is answered as retryable
 * @param retryAfterSeconds the delay suggested to clients in retryable answers
 * @param auth the bearer-token check
 * @param corsAllowedOrigins origins allowed by CORS (HTTP only); empty disables CORS
 */
public record ReceiverSettings(int maxMessageBytes, Duration answerTimeout, long retryAfterSeconds,
    BearerAuth auth, List<String> corsAllowedOrigins) {
  public ReceiverSettings {
    if (maxMessageBytes <= 0) {
      throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
    }
    Objects.requireNonNull(answerTimeout, "answerTimeout");
    Objects.requireNonNull(auth, "auth");
    corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
  }
}
