package io.tracemetrics.gateway.otlp;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.tracemetrics.gateway.http.HttpAnswer;
import io.tracemetrics.gateway.ingest.Outcome;
import javax.annotation.Nullable;

/**
 * OTLP/HTTP answers: success is an {@code ExportTraceServiceResponse}, errors a {@code google.rpc.Status},
 * both in the request's encoding; retryable errors carry {@code Retry-After}.
 */
final class HttpAnswers {
  private final long retryAfterSeconds;

  HttpAnswers(long retryAfterSeconds) {
    this.retryAfterSeconds = retryAfterSeconds;
  }

  HttpAnswer success(BodyFormat format) {
    return success(ExportTraceServiceResponse.getDefaultInstance(), format);
  }

  /**
   * A 200 whose {@code partial_success} tells the client what was not taken: {@code rejectedSpans}
   * spans (0 makes it a warning, as OTLP allows) and why.
   */
  HttpAnswer partialSuccess(long rejectedSpans, String message, BodyFormat format) {
    return success(ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(ExportTracePartialSuccess.newBuilder()
            .setRejectedSpans(rejectedSpans)
            .setErrorMessage(message))
        .build(), format);
  }

  private static HttpAnswer success(ExportTraceServiceResponse response, BodyFormat format) {
    byte[] body = format == BodyFormat.JSON ? OtlpJson.print(response) : response.toByteArray();
    return HttpAnswer.of(200, format.mediaType(), body);
  }

  /** The answer for a decodable request's outcome. */
  HttpAnswer forOutcome(Outcome outcome, BodyFormat format) {
    switch (outcome) {
      case ACCEPTED:
        return success(format);
      case KAFKA_UNAVAILABLE:
        return retryable(error(503, "Kafka did not acknowledge the spans; retry later", format));
      case MEMORY_LIMIT:
        return retryable(error(429, "gateway is at its in-flight memory limit; retry later", format));
      case SPAN_TOO_LARGE:
        return error(413, "a single span is larger than one Kafka record", format);
      default:
        throw new IllegalArgumentException("unknown outcome " + outcome);
    }
  }

  HttpAnswer retryable(HttpAnswer answer) {
    return answer.withHeader("Retry-After", Long.toString(retryAfterSeconds));
  }

  /** An error answer; plain text when the request's encoding is not one of OTLP's. */
  static HttpAnswer error(int httpStatus, String message, @Nullable BodyFormat format) {
    if (format == null) {
      return HttpAnswer.text(httpStatus, message);
    }
    Status status = Status.newBuilder().setCode(rpcCode(httpStatus).getNumber()).setMessage(message).build();
    byte[] body = format == BodyFormat.JSON ? OtlpJson.print(status) : status.toByteArray();
    return HttpAnswer.of(httpStatus, format.mediaType(), body);
  }

  static Code rpcCode(int httpStatus) {
    switch (httpStatus) {
      case 400:
      case 413:
      case 415:
        return Code.INVALID_ARGUMENT;
      case 401:
        return Code.UNAUTHENTICATED;
      case 404:
        return Code.NOT_FOUND;
      case 405:
        return Code.UNIMPLEMENTED;
      case 429:
        return Code.RESOURCE_EXHAUSTED;
      case 503:
        return Code.UNAVAILABLE;
      default:
        return Code.UNKNOWN;
    }
  }
}
