package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.otlp.SpanEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LabelValuesTest {

  @ParameterizedTest(name = "kind {0} is counted as {1}")
  @CsvSource({"0, SPAN_KIND_UNSPECIFIED", "1, SPAN_KIND_INTERNAL", "2, SPAN_KIND_SERVER", "3, SPAN_KIND_CLIENT",
      "4, SPAN_KIND_PRODUCER", "5, SPAN_KIND_CONSUMER", "6, SPAN_KIND_UNSPECIFIED", "9, SPAN_KIND_UNSPECIFIED",
      "-7, SPAN_KIND_UNSPECIFIED", "2147483647, SPAN_KIND_UNSPECIFIED"})
  void aSpanKindIsCountedUnderTheNameItIsWrittenAs(int kind, String written) {
    assertThat(LabelValues.spanKindName(kind)).isEqualTo(written);
    assertThat(LabelValues.spanKindName(LabelValues.spanKind(kind))).isEqualTo(written);
    assertThat(LabelValues.spanKind(LabelValues.spanKind(kind))).isEqualTo(LabelValues.spanKind(kind));
  }

  @ParameterizedTest(name = "status {0} is counted as {1}")
  @CsvSource({"0, STATUS_CODE_UNSET", "1, STATUS_CODE_OK", "2, STATUS_CODE_ERROR", "3, STATUS_CODE_UNSET",
      "7, STATUS_CODE_UNSET", "-2, STATUS_CODE_UNSET"})
  void aStatusCodeIsCountedUnderTheNameItIsWrittenAs(int code, String written) {
    assertThat(LabelValues.statusCodeName(code)).isEqualTo(written);
    assertThat(LabelValues.statusCode(LabelValues.statusCode(code))).isEqualTo(LabelValues.statusCode(code));
  }

  @Test
  void anExcludedLabelStaysExcluded() {
    assertThat(LabelValues.spanKind(SpanEvent.EXCLUDED)).isEqualTo(SpanEvent.EXCLUDED);
    assertThat(LabelValues.statusCode(SpanEvent.EXCLUDED)).isEqualTo(SpanEvent.EXCLUDED);
  }

  @Test
  void unknownEnumNumbersAreOneSeriesWithTheDefinedDefault() {
    SpanEvent nine = new SpanEvent("s", "n", 9, 7, 1_000, 1, "");
    SpanEvent zero = new SpanEvent("s", "n", 0, 0, 1_000, 1, "");
    assertThat(SeriesKey.of(nine)).isEqualTo(SeriesKey.of(zero));
  }

  @Test
  void valuesUpToTheLimitAreWrittenAsTheyAre() {
    String limit = "v".repeat(LabelValues.MAX_LENGTH);
    assertThat(LabelValues.bounded(limit)).isSameAs(limit);
    assertThat(LabelValues.bounded("")).isEmpty();
  }

  @Test
  void longValuesThatDifferOnlyAfterTheCutStayApartAndFitTheStoresLimit() {
    String a = "ü".repeat(10_000) + "a";
    String b = "ü".repeat(10_000) + "b";
    assertThat(LabelValues.bounded(a)).hasSize(LabelValues.MAX_LENGTH).isNotEqualTo(LabelValues.bounded(b))
        .startsWith("ü".repeat(100)).matches("(?s).*~[0-9a-f]{16}");
    assertThat(LabelValues.bounded(a)).isEqualTo(LabelValues.bounded(new String(a)));
    assertThat(LabelValues.bounded(a).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(16_384);
  }

  @Test
  void theCutNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00"; // one character, two chars in UTF-16
    String value = "a" + emoji.repeat(5_000);
    String bounded = LabelValues.bounded(value);
    String kept = bounded.substring(0, bounded.lastIndexOf('~'));
    assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
    assertThat(new String(bounded.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(bounded);
  }
}
