package io.tracemetrics.gateway.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.tracemetrics.gateway.ingest.Outcome;

/**
 * gRPC statuses for refused exports. Retryable refusals are UNAVAILABLE with a {@code RetryInfo} detail
 * (OTLP exporters honour its delay); refusals that retrying cannot fix are INVALID_ARGUMENT.
 */
final class GrpcAnswers {
  private final long retryAfterSeconds;

  GrpcAnswers(long retryAfterSeconds) {
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The error for a refused outcome; {@link Outcome#ACCEPTED} is not an error. */
  StatusRuntimeException refusal(Outcome outcome) {
    switch (outcome) {
      case KAFKA_UNAVAILABLE:
        return retryable("Kafka did not acknowledge the spans; retry later");
      case MEMORY_LIMIT:
        return retryable("gateway is at its in-flight memory limit; retry later");
      case SPAN_TOO_LARGE:
        return status(Code.INVALID_ARGUMENT, "a single span is larger than one Kafka record");
      default:
        throw new IllegalArgumentException("not a refusal: " + outcome);
    }
  }

  StatusRuntimeException retryable(String message) {
    RetryInfo retry = RetryInfo.newBuilder()
        .setRetryDelay(Duration.newBuilder().setSeconds(retryAfterSeconds))
        .build();
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Code.UNAVAILABLE_VALUE)
        .setMessage(message)
        .addDetails(Any.pack(retry))
        .build());
  }

  static StatusRuntimeException status(Code code, String message) {
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build());
  }
}
