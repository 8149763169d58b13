package io.tracemetrics.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.sink.http.ResponseClassifier.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseClassifierTest {
  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
      "200, SUCCESS",
      "204, SUCCESS",
      "299, SUCCESS",
      "100, NON_RETRYABLE",
      "301, NON_RETRYABLE",
      "308, NON_RETRYABLE",
      "400, NON_RETRYABLE",
      "401, NON_RETRYABLE",
      "403, NON_RETRYABLE",
      "404, NON_RETRYABLE",
      "409, NON_RETRYABLE",
      "413, NON_RETRYABLE",
      "428, NON_RETRYABLE",
      "429, RETRYABLE",
      "431, NON_RETRYABLE",
      "499, NON_RETRYABLE",
      "500, RETRYABLE",
      "502, RETRYABLE",
      "503, RETRYABLE",
      "504, RETRYABLE",
      "599, RETRYABLE",
      "600, NON_RETRYABLE",
  })
  void statusMeansOutcome(int status, Outcome expected) {
    assertThat(ResponseClassifier.classify(status)).isEqualTo(expected);
  }
}
