package io.tracemetrics.sink;

import io.tracemetrics.sink.SinkMetrics.DropReason;
import java.util.Locale;

/**
 * What a remote-write answer means, and so what the sink does with it. The README's "Failure policy"
 * table is this class in prose; its test covers every row.
 *
 * <ul>
 *   <li>2xx: stored.
 *   <li>429, 5xx, 408: transient (overload, restart, a proxy's timeout): retried with backoff; except a 500
 *       "too old sample" (Prometheus before 2.45, beyond its out-of-order window), which is refused data.
 *   <li>400, 409, 413, 422: the receiver refused some of the data (Prometheus and Mimir answer 400 for an
 *       out-of-order, too old or conflicting duplicate sample, Thanos receive 409, some receivers 422 for
 *       invalid series, 413 for a request too large): {@code onRejected} decides, and with {@code DROP} the
 *       batch is split to find the refused series, so the others are stored.
 *   <li>Anything else (1xx, 3xx, 401, 403, 404, 405, 407, 415, any other 4xx, codes outside 100-599): the
 *       endpoint, its credentials, a proxy or the protocol is wrong, and every batch will meet the same
 *       answer. Dropping would discard data nobody judged, so after {@link #MISCONFIGURED_RETRIES} retries
 *       (a deploy or a token rotation may briefly answer so) the writer fails whatever the policies say.
 * </ul>
 */
final class ResponseClassifier {
  /**
   * Retries of a misconfiguration answer before the writer fails; with the default backoff they take
   * 0.35 to 0.7 s. Flink's restart strategy then retries on a longer scale, from the checkpoint.
   */
  static final int MISCONFIGURED_RETRIES = 3;

  /** The meaning of an HTTP status for a remote-write request. */
  enum Outcome {
    /** The receiver stored the request. */
    SUCCESS,
    /** A transient failure: send the same request again after a backoff. */
    RETRYABLE,
    /** The receiver refused (some of) the data: {@code onRejected} applies, per series. */
    REJECTED,
    /** The endpoint is misconfigured: retry a few times, then fail the writer. */
    MISCONFIGURED
  }

  private ResponseClassifier() {}

  static Outcome classify(int status) {
    return classify(status, "");
  }

  /**
   * As {@link #classify(int)}, except for one answer whose status lies: Prometheus before 2.45 answers 500
   * "too old sample" for a sample older than its out-of-order window, which no retry can store.
   */
  static Outcome classify(int status, String body) {
    if (status == 500 && body != null && body.toLowerCase(Locale.ROOT).contains("too old sample")) {
      return Outcome.REJECTED;
    }
    if (status >= 200 && status < 300) {
      return Outcome.SUCCESS;
    }
    if (status == 429 || status == 408 || (status >= 500 && status < 600)) {
      return Outcome.RETRYABLE;
    }
    if (status == 400 || status == 409 || status == 413 || status == 422) {
      return Outcome.REJECTED;
    }
    return Outcome.MISCONFIGURED;
  }

  /**
   * Why a {@link Outcome#REJECTED} series was refused, from the status and the receiver's message
   * (Prometheus' own error texts, which Mimir and Thanos reuse); {@code rejected} when the text is not
   * one of them.
   */
  static DropReason rejectionReason(int status, String body) {
    if (status == 413) {
      return DropReason.TOO_LARGE;
    }
    String text = body == null ? "" : body.toLowerCase(Locale.ROOT);
    if (text.contains("out of order") || text.contains("out-of-order")) {
      return DropReason.OUT_OF_ORDER;
    }
    if (text.contains("duplicate sample") || text.contains("repeated timestamp")
        || text.contains("same timestamp")) {
      return DropReason.DUPLICATE_TIMESTAMP;
    }
    if (text.contains("out of bounds") || text.contains("too old")) {
      return DropReason.TOO_OLD;
    }
    return DropReason.REJECTED;
  }
}
