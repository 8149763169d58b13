package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

  @ParameterizedTest(name = "''{0}'' -> {1} ms")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "0                              | 0",
      "1                              | 1000",
      "120                            | 120000",
      "Tue, 24 Nov 2026 10:00:30 GMT  | 30000",
      "Tue, 24 Nov 2026 09:59:00 GMT  | 0",
      "3600                           | 3600000",
  })
  void validHeaderGivesTheWait(String header, long expectedMillis) {
    assertThat(RetryAfter.parse(header, NOW)).contains(Duration.ofMillis(expectedMillis));
  }

  @ParameterizedTest(name = "''{0}'' is ignored")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "null", "''", "-5", "1.5", "soon", "99999999999999999999999", "2026-11-24T10:00:30Z"})
  void invalidHeaderIsIgnored(String header) {
    assertThat(RetryAfter.parse(header, NOW)).isEmpty();
  }
}
