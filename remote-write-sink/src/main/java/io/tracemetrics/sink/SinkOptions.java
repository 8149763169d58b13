package io.tracemetrics.sink;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The mutable state behind {@link RemoteWriteSink.Builder}: defaults and validation in one place. */
final class SinkOptions {
  static final Logger LOG = LoggerFactory.getLogger(RemoteWriteSink.class);

  static final int DEFAULT_MAX_BATCH_SAMPLES = 10_000;
  static final int DEFAULT_MAX_BATCH_BYTES = 4 * 1024 * 1024;
  static final Duration DEFAULT_MAX_BUFFER_TIME = Duration.ofSeconds(1);
  static final int DEFAULT_MAX_BATCHES_IN_FLIGHT = 4;
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
  static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  static final Duration DEFAULT_MAX_RETRY_TIME = Duration.ofMinutes(5);
  /** Isolates 3 refused series in a full default batch (2·3·⌈log2 10 000⌉ = 84), and bounds the rest. */
  static final int DEFAULT_MAX_SPLIT_REQUESTS = 100;
  static final String DEFAULT_USER_AGENT = "tracemetrics-remote-write-sink/0.1";
  static final String REMOTE_WRITE_VERSION = "0.1.0";

  /** Headers the protocol fixes; a user header must not change them. */
  private static final Set<String> PROTOCOL_HEADERS = Set.of("content-encoding", "content-type",
      "x-prometheus-remote-write-version", "user-agent", "authorization");

  final List<URI> endpoints = new ArrayList<>();
  final Map<String, String> userHeaders = new LinkedHashMap<>();
  String authorization;
  int maxBatchSamples = DEFAULT_MAX_BATCH_SAMPLES;
  int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
  Duration maxBufferTime = DEFAULT_MAX_BUFFER_TIME;
  int maxBatchesInFlight = DEFAULT_MAX_BATCHES_IN_FLIGHT;
  Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
  Duration maxBackoff = DEFAULT_MAX_BACKOFF;
  Duration maxRetryTime = DEFAULT_MAX_RETRY_TIME;
  FailurePolicy onRejected = FailurePolicy.DROP;
  FailurePolicy onRetriesExhausted = FailurePolicy.FAIL;
  int maxSplitRequests = DEFAULT_MAX_SPLIT_REQUESTS;
  String userAgent = DEFAULT_USER_AGENT;
  TlsSettings tls;
  private boolean primarySet;

  void endpoint(String url) {
    if (primarySet) {
      throw new IllegalStateException("endpoint is already set to " + endpoints.get(0)
          + "; use additionalEndpoint to write to several receivers");
    }
    endpoints.add(0, parseUrl(url));
    primarySet = true;
  }

  void additionalEndpoint(String url) {
    endpoints.add(parseUrl(url));
  }

  void header(String name, String value) {
    nonBlank("header name", name);
    nonNull("header value", value);
    String lower = name.toLowerCase(Locale.ROOT);
    if (PROTOCOL_HEADERS.contains(lower)) {
      throw new IllegalArgumentException("header " + name
          + " is set by the sink (use userAgent, basicAuth or bearerToken where they apply)");
    }
    if (userHeaders.keySet().stream().anyMatch(n -> n.equalsIgnoreCase(name))) {
      throw new IllegalArgumentException("header " + name + " is set twice");
    }
    // The JDK client refuses some headers (Host, Content-Length...): fail here, not on a task manager.
    HttpRequest.newBuilder(URI.create("http://localhost/")).header(name, value);
    userHeaders.put(name, value);
  }

  void basicAuth(String user, String password) {
    nonNull("user", user);
    nonNull("password", password);
    setAuthorization("Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  void bearerToken(String token) {
    setAuthorization("Bearer " + nonBlank("bearer token", token));
  }

  private void setAuthorization(String value) {
    if (authorization != null) {
      throw new IllegalStateException("authentication is already set; basicAuth and bearerToken "
          + "are exclusive");
    }
    authorization = value;
  }

  void trustStore(String path, String password, String type) {
    tls = new TlsSettings(nonBlank("trust store path", path), password, nonBlank("trust store type", type));
  }

  void validate() {
    if (!primarySet) {
      throw new IllegalStateException("endpoint is required, e.g. http://127.0.0.1:8428/api/v1/write");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff "
          + initialBackoff);
    }
  }

  /** Every header of a request, in a stable order: protocol headers first. */
  Map<String, String> requestHeaders() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Content-Encoding", "snappy");
    all.put("Content-Type", "application/x-protobuf");
    all.put("X-Prometheus-Remote-Write-Version", REMOTE_WRITE_VERSION);
    all.put("User-Agent", userAgent);
    if (authorization != null) {
      all.put("Authorization", authorization);
    }
    all.putAll(userHeaders);
    return Collections.unmodifiableMap(all);
  }

  private static URI parseUrl(String url) {
    nonBlank("remote-write URL", url);
    try {
      URI uri = new URI(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException("remote-write URL must be http(s)://host[:port]/path, got "
            + url);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid remote-write URL " + url + ": " + e.getMessage(), e);
    }
  }

  static int positive(String what, int n) {
    if (n <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + n);
    }
    return n;
  }

  static int nonNegative(String what, int n) {
    if (n < 0) {
      throw new IllegalArgumentException(what + " must not be negative, got " + n);
    }
    return n;
  }

  static Duration positive(String what, Duration d) {
    nonNull(what, d);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  static <T> T nonNull(String what, T value) {
    return Objects.requireNonNull(value, what);
  }

  static String nonBlank(String what, String value) {
    if (nonNull(what, value).isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}
