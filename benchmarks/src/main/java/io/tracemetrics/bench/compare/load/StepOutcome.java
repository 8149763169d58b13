package io.tracemetrics.bench.compare.load;

import java.time.Duration;
import java.util.Map;

/**
 * What one {@link OpenLoopLoad#run} offered and what became of it, in spans. {@code offeredSpans =
 * acceptedSpans + refusedSpans + unknownSpans}.
 *
 * @param refusedSpans the client knows they were not taken: a non-2xx / non-OK answer, a refused connection,
 *     or not sent because the generator fell {@link LoadSettings#maxBacklog()} behind
 * @param unknownSpans written but never answered: they may or may not have been accepted
 * @param spansByOutcome spans by outcome label ({@code "http 200"}, {@code "http 503"}, {@code "grpc OK"},
 *     {@code "grpc UNAVAILABLE"}, {@code "connect refused"}, {@code "no answer (unknown)"}, {@link #BACKLOG})
 * @param p50Millis median latency of accepted requests, from the time the request was due (not sent) to its
 *     answer, so that a slow stack is not hidden by a waiting generator; NaN when none was accepted
 * @param p99Millis the 99th percentile of the same
 */
public record StepOutcome(double offeredSpansPerSecond, Duration duration, long offeredSpans, long acceptedSpans,
    long refusedSpans, long unknownSpans, Map<String, Long> spansByOutcome, double p50Millis, double p99Millis,
    double acceptedSpansPerSecond) {
  /** The outcome of requests the generator gave up on: due longer than the allowed backlog ago. */
  public static final String BACKLOG = "not sent: generator backlog";

  public StepOutcome {
    spansByOutcome = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(spansByOutcome));
  }
}
