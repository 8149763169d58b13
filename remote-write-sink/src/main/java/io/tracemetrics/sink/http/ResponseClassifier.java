package io.tracemetrics.sink.http;

/**
 * What a remote-write answer means. 2xx: the receiver has the samples. 429 and 5xx: transient, retry.
 * Everything else (other 4xx, and 1xx/3xx, which point at a wrong URL) would fail the same way again.
 */
public final class ResponseClassifier {
  /** The meaning of an HTTP status for a remote-write request. */
  public enum Outcome {
    SUCCESS,
    RETRYABLE,
    NON_RETRYABLE
  }

  private ResponseClassifier() {}

  public static Outcome classify(int status) {
    if (status >= 200 && status < 300) {
      return Outcome.SUCCESS;
    }
    if (status == 429 || (status >= 500 && status < 600)) {
      return Outcome.RETRYABLE;
    }
    return Outcome.NON_RETRYABLE;
  }
}
