package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.sink.ResponseClassifier.Outcome;
import io.tracemetrics.sink.SinkMetrics.DropReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The README's failure policy table, row by row. */
class ResponseClassifierTest {
  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
      // stored
      "200, SUCCESS",
      "204, SUCCESS",
      "299, SUCCESS",
      // transient: retried with backoff until maxRetryTime
      "408, RETRYABLE",
      "429, RETRYABLE",
      "500, RETRYABLE",
      "502, RETRYABLE",
      "503, RETRYABLE",
      "504, RETRYABLE",
      "599, RETRYABLE",
      // data refused: onRejected, per series (bisection)
      "400, REJECTED",
      "409, REJECTED",
      "413, REJECTED",
      "422, REJECTED",
      // misconfiguration: bounded retry, then the writer fails whatever the policies say
      "100, MISCONFIGURED",
      "199, MISCONFIGURED",
      "300, MISCONFIGURED",
      "301, MISCONFIGURED",
      "302, MISCONFIGURED",
      "307, MISCONFIGURED",
      "308, MISCONFIGURED",
      "401, MISCONFIGURED",
      "403, MISCONFIGURED",
      "404, MISCONFIGURED",
      "405, MISCONFIGURED",
      "407, MISCONFIGURED",
      "410, MISCONFIGURED",
      "411, MISCONFIGURED",
      "414, MISCONFIGURED",
      "415, MISCONFIGURED",
      "428, MISCONFIGURED",
      "431, MISCONFIGURED",
      "499, MISCONFIGURED",
      "0, MISCONFIGURED",
      "600, MISCONFIGURED",
  })
  void statusMeansOutcome(int status, Outcome expected) {
    assertThat(ResponseClassifier.classify(status)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "HTTP {0} \"{1}\" is {2}")
  @CsvSource({
      "500, 'too old sample', REJECTED",
      "500, 'TOO OLD SAMPLE for series x', REJECTED",
      "500, 'internal error', RETRYABLE",
      "503, 'too old sample', RETRYABLE",
      "400, 'too old sample', REJECTED",
      "204, '', SUCCESS",
  })
  void aFiveHundredThatSaysTooOldIsRefusedData(int status, String body, Outcome expected) {
    assertThat(ResponseClassifier.classify(status, body)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "HTTP {0} \"{1}\" -> {2}")
  @CsvSource({
      // Prometheus 2.x storage errors, the body of its 400
      "400, 'out of order sample', OUT_OF_ORDER",
      "400, 'duplicate sample for timestamp', DUPLICATE_TIMESTAMP",
      "400, 'out of bounds', TOO_OLD",
      "400, 'too old sample', TOO_OLD",
      // Mimir's wording
      "400, 'the sample has been rejected because another sample with a more recent timestamp has already "
          + "been ingested and out-of-order samples are not allowed (err-mimir-sample-out-of-order)', "
          + "OUT_OF_ORDER",
      "400, 'the sample has been rejected because another sample with the same timestamp, but a different "
          + "value, has already been ingested (err-mimir-sample-duplicate-timestamp)', DUPLICATE_TIMESTAMP",
      "400, 'sample with repeated timestamp but different value', DUPLICATE_TIMESTAMP",
      // Thanos receive answers 409 with the storage error's text
      "409, 'Conflict: out of order sample', OUT_OF_ORDER",
      "422, 'OUT OF ORDER SAMPLE', OUT_OF_ORDER",
      "400, 'label value too long', REJECTED",
      "400, '', REJECTED",
      "413, 'request entity too large', TOO_LARGE",
      "413, 'out of order sample', TOO_LARGE",
  })
  void rejectionReasonComesFromStatusAndMessage(int status, String body, DropReason expected) {
    assertThat(ResponseClassifier.rejectionReason(status, body)).isEqualTo(expected);
  }
}
