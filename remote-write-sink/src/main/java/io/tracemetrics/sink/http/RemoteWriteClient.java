package io.tracemetrics.sink.http;

import io.tracemetrics.sink.FailurePolicy;
import io.tracemetrics.sink.RemoteWriteException;
import io.tracemetrics.sink.http.ResponseClassifier.Outcome;
import io.tracemetrics.sink.metrics.SinkMetrics;
import io.tracemetrics.sink.metrics.SinkMetrics.DropReason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers compressed WriteRequests to one endpoint, retrying in the calling thread (the endpoint's
 * {@link EndpointSender}): while it retries, that endpoint's queue fills, and then the writer blocks.
 */
public final class RemoteWriteClient {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteClient.class);
  private static final int MAX_LOGGED_BODY = 1024;

  /** Sleeps between retries; tests may record instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final URI uri;
  private final String name;
  private final Map<String, String> headers;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final RetrySettings retry;
  private final Backoff backoff;
  private final SinkMetrics metrics;
  private final Sleeper sleeper;
  private final RateLimitedLog dropLog = new RateLimitedLog(Duration.ofSeconds(10));

  /** @param headers every header of a request, the protocol's included */
  public RemoteWriteClient(URI uri, String name, Map<String, String> headers, Duration requestTimeout,
      HttpClient http, RetrySettings retry, SinkMetrics metrics, Sleeper sleeper) {
    this.uri = uri;
    this.name = name;
    this.headers = Map.copyOf(headers);
    this.requestTimeout = requestTimeout;
    this.http = http;
    this.retry = retry;
    this.backoff = new Backoff(retry.initialBackoff(), retry.maxBackoff());
    this.metrics = metrics;
    this.sleeper = sleeper;
  }

  /**
   * Returns once the receiver accepted the batch or the failure policy dropped it.
   *
   * @throws RemoteWriteException if the batch cannot be delivered and the policy is {@link FailurePolicy#FAIL}
   */
  public void send(byte[] compressed, int uncompressedBytes, int series, int samples)
      throws IOException, InterruptedException {
    HttpRequest request = request(compressed);
    long deadline = System.nanoTime() + retry.maxRetryTime().toNanos();
    for (int attempt = 0; ; attempt++) {
      Attempt result = attempt(request);
      Outcome outcome = result.status < 0 ? Outcome.RETRYABLE : ResponseClassifier.classify(result.status);
      if (outcome == Outcome.SUCCESS) {
        metrics.delivered(series, samples, uncompressedBytes, compressed.length);
        return;
      }
      if (outcome == Outcome.NON_RETRYABLE) {
        giveUp(retry.onRejected(), DropReason.REJECTED, result, series, samples);
        return;
      }
      Duration retryAfter = RetryAfter.parse(result.retryAfter, Instant.now()).orElse(null);
      Duration wait = backoff.delay(attempt, retryAfter);
      if (System.nanoTime() + wait.toNanos() - deadline > 0) {
        giveUp(retry.onRetriesExhausted(), DropReason.RETRIES_EXHAUSTED, result, series, samples);
        return;
      }
      LOG.debug("Remote write to {} failed ({}), retry {} in {}", name, result.describe(), attempt + 1,
          wait);
      metrics.retried();
      sleeper.sleep(wait);
    }
  }

  private HttpRequest request(byte[] body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(builder::header);
    return builder.build();
  }

  private Attempt attempt(HttpRequest request) throws InterruptedException {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, ERROR_BODY_ONLY);
      metrics.requestCompleted(Duration.ofNanos(System.nanoTime() - start).toMillis());
      return new Attempt(response.statusCode(),
          response.headers().firstValue("Retry-After").orElse(null), response.body(), null);
    } catch (IOException e) {
      // Connection refused or reset, timeouts: the receiver may be back soon.
      metrics.requestCompleted(Duration.ofNanos(System.nanoTime() - start).toMillis());
      return new Attempt(-1, null, null, e);
    }
  }

  /** Reads the body only of failures, where it says why; a success body is discarded unread. */
  private static final BodyHandler<String> ERROR_BODY_ONLY = info ->
      info.statusCode() / 100 == 2 ? BodySubscribers.replacing("")
          : BodySubscribers.ofString(StandardCharsets.UTF_8);

  private void giveUp(FailurePolicy policy, DropReason reason, Attempt result, int series,
      int samples) throws RemoteWriteException {
    String why = reason == DropReason.REJECTED ? "rejected by the receiver" : "retries exhausted after "
        + retry.maxRetryTime();
    if (policy == FailurePolicy.FAIL) {
      throw new RemoteWriteException("Remote write of " + samples + " samples to " + name + " " + why
          + ": " + result.describe(), result.error);
    }
    metrics.dropped(reason, series, samples);
    long suppressed = dropLog.tryAcquire();
    if (suppressed >= 0) {
      LOG.warn("Dropped {} samples of {} series: remote write to {} {}: {} ({} similar drops not logged)",
          samples, series, name, why, result.describe(), suppressed);
    }
  }

  private static final class Attempt {
    final int status;
    final String retryAfter;
    final String body;
    final IOException error;

    Attempt(int status, String retryAfter, String body, IOException error) {
      this.status = status;
      this.retryAfter = retryAfter;
      this.body = body;
      this.error = error;
    }

    String describe() {
      if (error != null) {
        // The JDK client's ConnectException often has no message: the type says enough then.
        return error.getClass().getSimpleName()
            + (error.getMessage() == null ? "" : ": " + error.getMessage());
      }
      String text = body == null ? "" : body.strip();
      if (text.length() > MAX_LOGGED_BODY) {
        text = text.substring(0, MAX_LOGGED_BODY) + "...";
      }
      return "HTTP " + status + (text.isEmpty() ? "" : " " + text);
    }
  }
}
