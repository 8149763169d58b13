package io.tracemetrics.gateway.otlp;

import io.tracemetrics.gateway.http.HttpAnswer;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * CORS for browser exporters: the configured origins (or {@code *}) may POST traces. With no origins
 * configured no CORS header is ever sent and preflight requests get 405 like any other OPTIONS.
 */
final class CorsPolicy {
  private static final String ALLOWED_HEADERS = "Content-Type, Content-Encoding, Authorization";

  private final List<String> allowedOrigins;

  CorsPolicy(List<String> allowedOrigins) {
    this.allowedOrigins = List.copyOf(allowedOrigins);
  }

  boolean allows(@Nullable String origin) {
    return origin != null && (allowedOrigins.contains("*") || allowedOrigins.contains(origin));
  }

  /** The preflight answer, when this OPTIONS request is a preflight this policy handles. */
  Optional<HttpAnswer> preflight(String method, @Nullable String origin, @Nullable String requestMethod) {
    if (!"OPTIONS".equals(method) || requestMethod == null || allowedOrigins.isEmpty()) {
      return Optional.empty();
    }
    if (!allows(origin) || !"POST".equalsIgnoreCase(requestMethod)) {
      return Optional.of(HttpAnswer.text(403, "CORS preflight refused"));
    }
    return Optional.of(decorate(HttpAnswer.of(204, "text/plain", new byte[0]), origin)
        .withHeader("Access-Control-Allow-Methods", "POST")
        .withHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
        .withHeader("Access-Control-Max-Age", "86400"));
  }

  /** Adds the allow-origin headers to an actual answer when the origin is allowed. */
  HttpAnswer decorate(HttpAnswer answer, @Nullable String origin) {
    if (!allows(origin)) {
      return answer;
    }
    return answer.withHeader("Access-Control-Allow-Origin", origin).withHeader("Vary", "Origin");
  }
}
