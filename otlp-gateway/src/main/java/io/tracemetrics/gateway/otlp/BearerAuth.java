package io.tracemetrics.gateway.otlp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.annotation.Nullable;

/** Optional bearer-token check shared by both receivers; without a configured token everyone is let in. */
public final class BearerAuth {
  private static final String PREFIX = "bearer ";

  @Nullable private final byte[] token;

  /** @param token the expected token; null or empty disables the check */
  public BearerAuth(@Nullable String token) {
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether an {@code Authorization} header value is acceptable. */
  boolean allows(@Nullable String authorization) {
    if (token == null) {
      return true;
    }
    if (authorization == null || authorization.length() <= PREFIX.length()
        || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return false;
    }
    byte[] given = authorization.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
    // Constant-time comparison: the answer time must not reveal how much of the token matched.
    return MessageDigest.isEqual(token, given);
  }
}
