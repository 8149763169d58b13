package io.tracemetrics.testsupport.store;

import static java.util.Objects.requireNonNull;

import io.tracemetrics.testsupport.Await;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * A PromQL client for tests, over the HTTP API that Prometheus and VictoriaMetrics share
 * ({@code /api/v1/query}), plus a reader of every stored sample of a series.
 *
 * <p>Obtain one from {@link MetricStore#query()}, or {@link #prometheus}/{@link #victoriaMetrics} for a store
 * started elsewhere: the two differ only in how raw samples are read.
 */
public final class PromQuery {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(200);
  /** How far back {@link #rawSeries} reads from Prometheus: the stores keep 12 months. */
  private static final String PROMETHEUS_RAW_RANGE = "[400d]";

  private final String baseUrl;
  private final boolean victoriaMetrics;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PromQuery(String baseUrl, boolean victoriaMetrics) {
    this.baseUrl = requireNonNull(baseUrl, "baseUrl").replaceAll("/+$", "");
    this.victoriaMetrics = victoriaMetrics;
  }

  /** A client of the Prometheus at {@code baseUrl} ({@code http://host:port}). */
  public static PromQuery prometheus(String baseUrl) {
    return new PromQuery(baseUrl, false);
  }

  /** A client of the VictoriaMetrics at {@code baseUrl} ({@code http://host:port}). */
  public static PromQuery victoriaMetrics(String baseUrl) {
    return new PromQuery(baseUrl, true);
  }

  /** Evaluates {@code promql} now; a scalar result comes back as one sample without labels. */
  public List<Sample> instant(String promql) {
    return PromJson.instant(get("/api/v1/query", "query=" + encode(promql)));
  }

  /** Evaluates {@code promql} at {@code time}. */
  public List<Sample> instant(String promql, Instant time) {
    String time3 = String.format("%d.%03d", time.getEpochSecond(), time.getNano() / 1_000_000);
    return PromJson.instant(get("/api/v1/query", "query=" + encode(promql) + "&time=" + time3));
  }

  /**
   * The value of a query that yields at most one series: empty when it yields none.
   *
   * @throws IllegalStateException when it yields more than one
   */
  public OptionalDouble scalar(String promql) {
    List<Sample> samples = instant(promql);
    if (samples.size() > 1) {
      throw new IllegalStateException("expected at most one series from " + promql + ", got " + samples);
    }
    return samples.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(samples.get(0).value());
  }

  /**
   * Polls {@code promql} until it yields exactly one series whose value equals {@code expected}.
   *
   * @throws AssertionError with the last result seen when {@code timeout} passes first
   */
  public void awaitValue(String promql, double expected, Duration timeout) {
    await(promql, samples -> samples.size() == 1 && Double.compare(samples.get(0).value(), expected) == 0,
        "a single series of value " + expected, timeout);
  }

  /**
   * Polls {@code promql} until its samples satisfy {@code condition} and returns them. A failing request
   * counts as a result not yet satisfying, so a store that is still starting is waited for too.
   *
   * @throws AssertionError with the last result seen when {@code timeout} passes first
   */
  public List<Sample> await(String promql, Predicate<List<Sample>> condition, String what, Duration timeout) {
    // A failing request is "not yet": the exception is the value seen then.
    Object lastSeen = Await.poll(() -> {
      try {
        return instant(promql);
      } catch (RuntimeException e) {
        return e;
      }
    }, seen -> seen instanceof List<?> samples && condition.test(castSamples(samples)), timeout, POLL);
    if (lastSeen instanceof List<?> samples && condition.test(castSamples(samples))) {
      return castSamples(samples);
    }
    throw new AssertionError("expected " + what + " from " + promql + " within " + timeout.toMillis()
        + " ms on " + baseUrl + "; last seen: " + lastSeen);
  }

  @SuppressWarnings("unchecked")
  private static List<Sample> castSamples(List<?> samples) {
    return (List<Sample>) samples;
  }

  /**
   * Every stored sample of the one series that {@code seriesSelector} ({@code name{label="v"}}, no range)
   * matches, oldest first; empty when it matches none. For checks such as "the counter never decreases".
   *
   * @throws IllegalStateException when the selector matches more than one series
   */
  public List<RawSample> rawSamples(String seriesSelector) {
    Map<Map<String, String>, List<RawSample>> series = rawSeries(seriesSelector);
    if (series.size() > 1) {
      throw new IllegalStateException("expected at most one series for " + seriesSelector + ", got "
          + series.keySet());
    }
    return series.isEmpty() ? List.of() : series.values().iterator().next();
  }

  /** Every stored sample of every series that {@code seriesSelector} matches, by series labels. */
  public Map<Map<String, String>, List<RawSample>> rawSeries(String seriesSelector) {
    if (victoriaMetrics) {
      return PromJson.export(get("/api/v1/export", "match[]=" + encode(seriesSelector)));
    }
    return PromJson.matrix(get("/api/v1/query", "query=" + encode(seriesSelector + PROMETHEUS_RAW_RANGE)));
  }

  private String get(String path, String query) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path + "?" + query))
        .timeout(REQUEST_TIMEOUT)
        .GET()
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + request.uri() + " answered " + response.statusCode() + ": "
            + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("GET " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: GET " + request.uri(), e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return (victoriaMetrics ? "VictoriaMetrics " : "Prometheus ") + baseUrl;
  }
}
