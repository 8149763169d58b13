package io.tracemetrics.gateway.ingest;

import io.tracemetrics.gateway.kafka.RecordPublisher;
import io.tracemetrics.gateway.metrics.GatewayMetrics;
import io.tracemetrics.gateway.metrics.RefusalLog;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The protocol-independent path of a scanned export request: admission against the in-flight limit,
 * splitting into record-sized values, publishing, and counting. The returned future never fails; it
 * completes with the {@link Outcome} once Kafka acknowledged every record, failed, or timed out.
 */
public final class TraceIngest {
  private final RecordPublisher publisher;
  private final TracesSplitter splitter;
  private final GatewayMetrics metrics;
  private final InFlightLimiter limiter;
  private final RefusalLog refusals;
  private final Duration timeout;

  public TraceIngest(RecordPublisher publisher, GatewayMetrics metrics, InFlightLimiter limiter,
      RefusalLog refusals, Duration timeout) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.splitter = new TracesSplitter(publisher.maxValueBytes());
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.refusals = Objects.requireNonNull(refusals, "refusals");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Publishes one request.
   *
   * @param protocol label for metrics and logs
   * @param traces the request's protobuf encoding, checked by {@link TracesScanner} (forwarded unchanged
   *     when it fits in one record, since ExportTraceServiceRequest and TracesData share the wire format)
   */
  public CompletableFuture<Outcome> export(String protocol, ScannedTraces traces) {
    long spans = traces.spanCount();
    if (spans == 0) {
      // Nothing a consumer could count: acknowledge without writing an empty record.
      metrics.spansAccepted(protocol, 0);
      return CompletableFuture.completedFuture(Outcome.ACCEPTED);
    }
    long bytes = traces.size();
    if (!limiter.tryAcquire(bytes)) {
      return CompletableFuture.completedFuture(refuse(protocol, Outcome.MEMORY_LIMIT, spans,
          "in-flight bytes " + limiter.inFlightBytes() + " + " + bytes + " over the limit"));
    }
    List<byte[]> values;
    try {
      values = values(traces);
    } catch (TracesSplitter.SpanTooLargeException e) {
      limiter.release(bytes);
      return CompletableFuture.completedFuture(refuse(protocol, Outcome.SPAN_TOO_LARGE, spans, e.getMessage()));
    }
    long started = System.nanoTime();
    CompletableFuture<Void> acked;
    try {
      acked = publisher.publish(values);
    } catch (RuntimeException e) {
      acked = CompletableFuture.failedFuture(e);
    }
    return acked
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((ok, error) -> {
          limiter.release(bytes);
          if (error == null) {
            metrics.kafkaSendSeconds((System.nanoTime() - started) / 1e9);
            metrics.kafkaRecords("sent", values.size());
            metrics.spansAccepted(protocol, spans);
            return Outcome.ACCEPTED;
          }
          metrics.kafkaRecords("failed", values.size());
          Throwable cause = error.getCause() != null ? error.getCause() : error;
          String detail = cause instanceof TimeoutException
              ? "no Kafka acknowledgement within " + timeout
              : cause.toString();
          return refuse(protocol, Outcome.KAFKA_UNAVAILABLE, spans, detail);
        });
  }

  /** Whether {@link #export} of a request of about this size would return without waiting for Kafka. */
  public boolean exportsWithoutWaiting(long bytes) {
    return publisher.publishesWithoutWaiting(bytes);
  }

  private List<byte[]> values(ScannedTraces traces) throws TracesSplitter.SpanTooLargeException {
    List<byte[]> values = splitter.split(traces);
    if (values.size() > 1) {
      metrics.requestSplit();
    }
    return values;
  }

  private Outcome refuse(String protocol, Outcome outcome, long spans, String detail) {
    metrics.spansRefused(protocol, outcome.reason(), spans);
    refusals.refused(protocol, outcome.reason(), spans + " spans: " + detail);
    return outcome;
  }
}
