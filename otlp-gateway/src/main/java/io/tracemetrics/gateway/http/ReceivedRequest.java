package io.tracemetrics.gateway.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One complete HTTP request as {@link NettyHttpServer} received it: request line, headers, and the body
 * copied once into an array, unless the body was refused while it arrived ({@link #bodyProblem()}).
 */
public final class ReceivedRequest {
  /** Why the body was not kept; it was read and dropped so the connection stays usable. */
  public enum BodyProblem {
    NONE,
    /** Longer than the server's body limit (declared or actual). */
    TOO_LARGE,
    /** The server's budget for bodies being received was used up by other requests. */
    OVER_BUDGET
  }

  private static final byte[] EMPTY = new byte[0];

  private final String method;
  private final String path;
  private final HttpHeaders headers;
  private final byte[] body;
  private final BodyProblem bodyProblem;

  ReceivedRequest(String method, String path, HttpHeaders headers, @Nullable byte[] body,
      BodyProblem bodyProblem) {
    this.method = Objects.requireNonNull(method, "method");
    this.path = Objects.requireNonNull(path, "path");
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = body == null ? EMPTY : body;
    this.bodyProblem = Objects.requireNonNull(bodyProblem, "bodyProblem");
  }

  public String method() {
    return method;
  }

  /** The decoded path, without query. */
  public String path() {
    return path;
  }

  /** The first value of a header (names are case-insensitive), or null. */
  @Nullable
  public String header(String name) {
    return headers.get(name);
  }

  /** The body as sent (still compressed if it was); empty when {@link #bodyProblem()} is not NONE. */
  public byte[] body() {
    return body;
  }

  public BodyProblem bodyProblem() {
    return bodyProblem;
  }
}
