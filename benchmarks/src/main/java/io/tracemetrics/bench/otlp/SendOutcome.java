package io.tracemetrics.bench.otlp;

import io.grpc.Status;

/**
 * What became of one request: the verdict that matters for an exact count of accepted spans, and a label for
 * the report ({@code "http 503"}, {@code "grpc UNAVAILABLE"}, {@code "connect refused"}, ...).
 *
 * <p>The outcomes of answers are cached, so sending allocates nothing for them.
 */
public record SendOutcome(Verdict verdict, String label) {

  /** How sure the client is about the fate of a request. */
  public enum Verdict {
    /** The server said it took the request (HTTP 2xx, gRPC OK). */
    ACCEPTED,
    /** The server answered that it did not take the request. */
    REFUSED,
    /** Nothing was sent: the client knows the server never saw the request. */
    NOT_SENT,
    /** The request was (at least partly) written but no answer came: it may or may not have been accepted. */
    UNKNOWN
  }

  /** The connection could not be opened (refused, unreachable, timed out): nothing was sent. */
  public static final SendOutcome CONNECT_REFUSED = new SendOutcome(Verdict.NOT_SENT, "connect refused");
  /** The request went out and the connection failed or timed out before an answer. */
  public static final SendOutcome NO_ANSWER = new SendOutcome(Verdict.UNKNOWN, "no answer (unknown)");

  private static final SendOutcome[] HTTP = new SendOutcome[600];
  private static final SendOutcome[] GRPC = new SendOutcome[Status.Code.values().length];

  static {
    for (int code = 100; code < HTTP.length; code++) {
      HTTP[code] = new SendOutcome(code / 100 == 2 ? Verdict.ACCEPTED : Verdict.REFUSED, "http " + code);
    }
    for (Status.Code code : Status.Code.values()) {
      GRPC[code.ordinal()] = new SendOutcome(code == Status.Code.OK ? Verdict.ACCEPTED : Verdict.REFUSED,
          "grpc " + code.name());
    }
  }

  /** The outcome of an HTTP answer with {@code status}: 2xx accepted, anything else refused. */
  public static SendOutcome http(int status) {
    return status >= 100 && status < HTTP.length ? HTTP[status]
        : new SendOutcome(Verdict.REFUSED, "http " + status);
  }

  /** The outcome of a gRPC answer with {@code code}: OK accepted, anything else refused. */
  public static SendOutcome grpc(Status.Code code) {
    return GRPC[code.ordinal()];
  }

  public boolean accepted() {
    return verdict == Verdict.ACCEPTED;
  }

  /** True when the server answered, whether it accepted or refused. */
  public boolean answered() {
    return verdict == Verdict.ACCEPTED || verdict == Verdict.REFUSED;
  }
}
