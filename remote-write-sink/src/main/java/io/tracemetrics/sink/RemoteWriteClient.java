package io.tracemetrics.sink;

import io.tracemetrics.sink.ResponseClassifier.Outcome;
import io.tracemetrics.sink.SinkMetrics.DropReason;
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
import org.xerial.snappy.Snappy;

/**
 * Delivers compressed WriteRequests to one endpoint, retrying in the calling thread (the endpoint's
 * {@link EndpointSender}): while it retries, that endpoint's queue fills, and then the writer blocks.
 */
final class RemoteWriteClient {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteClient.class);
  private static final int MAX_LOGGED_BODY = 1024;

  /** Sleeps between retries; tests may record instead. */
  @FunctionalInterface
  interface Sleeper {
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
  RemoteWriteClient(URI uri, String name, Map<String, String> headers, Duration requestTimeout,
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
   * Returns once the receiver stored the batch or the failure policies dropped what it could not store.
   * When the receiver refuses data (see {@link ResponseClassifier}) and {@code onRejected} is
   * {@link FailurePolicy#DROP}, the batch is split to find the refused series ({@link Bisection}): only
   * those are dropped, the other series are stored.
   *
   * @throws RemoteWriteException if the endpoint is misconfigured, or the batch cannot be delivered and
   *     the applicable policy is {@link FailurePolicy#FAIL}
   */
  void send(EncodedBatch batch) throws IOException, InterruptedException {
    Attempt rejection = deliver(batch);
    if (rejection == null) {
      return;
    }
    if (retry.onRejected() == FailurePolicy.FAIL) {
      throw new RemoteWriteException("Remote write of " + batch.samples() + " samples to " + name
          + " rejected by the receiver: " + rejection.describe());
    }
    isolateRefusedSeries(batch, rejection);
  }

  /**
   * Sends one request until it is resolved, retrying transient failures.
   *
   * @return null when the receiver stored it or retries ran out and the policy dropped it; the answer
   *     when the receiver refused the data
   */
  private Attempt deliver(EncodedBatch batch) throws IOException, InterruptedException {
    HttpRequest request = request(batch.compressed());
    long deadline = System.nanoTime() + retry.maxRetryTime().toNanos();
    int misconfigured = 0;
    for (int attempt = 0; ; attempt++) {
      Attempt result = attempt(request);
      Outcome outcome = result.status < 0 ? Outcome.RETRYABLE : ResponseClassifier.classify(result.status, result.body);
      if (outcome == Outcome.SUCCESS) {
        metrics.delivered(batch.series(), batch.samples(), batch.uncompressedBytes(),
            batch.compressed().length);
        return null;
      }
      if (outcome == Outcome.REJECTED) {
        return result;
      }
      if (outcome == Outcome.MISCONFIGURED) {
        metrics.misconfigured(result.status);
        if (++misconfigured > ResponseClassifier.MISCONFIGURED_RETRIES) {
          throw misconfiguration(result, misconfigured);
        }
      }
      Duration retryAfter = RetryAfter.parse(result.retryAfter, Instant.now()).orElse(null);
      Duration wait = backoff.delay(attempt, retryAfter);
      if (System.nanoTime() + wait.toNanos() - deadline > 0) {
        if (outcome == Outcome.MISCONFIGURED) {
          throw misconfiguration(result, misconfigured);
        }
        giveUp(batch, result);
        return null;
      }
      LOG.debug("Remote write to {} failed ({}), retry {} in {}", name, result.describe(), attempt + 1,
          wait);
      metrics.retried();
      sleeper.sleep(wait);
    }
  }

  /** Whatever the policies say: no batch can get through, so the job must stop and say why. */
  private RemoteWriteException misconfiguration(Attempt result, int answers) {
    String message = "Remote write endpoint " + endpoint() + " answered " + result.describe() + " ("
        + answers + " times in a row): the URL, credentials or a proxy is misconfigured, not the data; "
        + "failing the writer so the job restarts from its last checkpoint and loses nothing";
    LOG.error(message);
    return new RemoteWriteException(message);
  }

  /** The URL without user info or query, which may hold secrets. */
  private String endpoint() {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getPath() == null ? "" : uri.getPath());
  }

  private void isolateRefusedSeries(EncodedBatch batch, Attempt rejection)
      throws IOException, InterruptedException {
    WriteRequestSlices slices = WriteRequestSlices.parse(Snappy.uncompress(batch.compressed()));
    Bisection.Result<Attempt> result = Bisection.isolate(slices.seriesCount(), rejection,
        retry.maxSplitRequests(), (from, to) -> {
          metrics.splitRequest();
          return deliver(new EncodedBatch(slices.snappyCompressed(from, to), slices.bytes(from, to),
              to - from, slices.samples(from, to)));
        });
    int refusedSamples = 0;
    for (Bisection.Refused<Attempt> refused : result.refused()) {
      int samples = slices.samples(refused.series());
      Attempt why = refused.rejection();
      metrics.dropped(ResponseClassifier.rejectionReason(why.status, why.body), 1, samples);
      refusedSamples += samples;
    }
    int unsentSeries = 0;
    int unsentSamples = 0;
    for (Bisection.Unsent unsent : result.unsent()) {
      unsentSeries += unsent.count();
      unsentSamples += slices.samples(unsent.from(), unsent.to());
    }
    metrics.dropped(DropReason.SPLIT_LIMIT, unsentSeries, unsentSamples);
    long suppressed = dropLog.tryAcquire();
    if (suppressed >= 0) {
      LOG.warn("Remote write to {} refused a batch of {} series ({}); split with {} more requests: {} "
          + "series ({} samples) refused and dropped{}{}, the other series stored ({} similar drops not "
          + "logged)", name, slices.seriesCount(), rejection.describe(), result.extraRequests(),
          result.refused().size(), refusedSamples, result.refused().isEmpty() ? ""
              : ", e.g. " + slices.describe(result.refused().get(0).series()) + ": "
                  + result.refused().get(0).rejection().describe(),
          unsentSeries == 0 ? "" : "; " + unsentSeries + " series (" + unsentSamples
              + " samples) not sent and dropped: maxSplitRequests " + retry.maxSplitRequests()
              + " reached", suppressed);
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

  /** Retries ran out: {@code onRetriesExhausted} decides. */
  private void giveUp(EncodedBatch batch, Attempt result) throws RemoteWriteException {
    String why = "retries exhausted after " + retry.maxRetryTime();
    if (retry.onRetriesExhausted() == FailurePolicy.FAIL) {
      throw new RemoteWriteException("Remote write of " + batch.samples() + " samples to " + name + " "
          + why + ": " + result.describe(), result.error);
    }
    metrics.dropped(DropReason.RETRIES_EXHAUSTED, batch.series(), batch.samples());
    long suppressed = dropLog.tryAcquire();
    if (suppressed >= 0) {
      LOG.warn("Dropped {} samples of {} series: remote write to {} {}: {} ({} similar drops not logged)",
          batch.samples(), batch.series(), name, why, result.describe(), suppressed);
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
