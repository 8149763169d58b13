package io.tracemetrics.testsupport.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PromJsonTest {

  @Test
  void vectorGivesOneSamplePerSeries() {
    String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"value\":[1700000000.123,\"1\"]},"
        + "{\"metric\":{\"__name__\":\"up\",\"job\":\"b\"},\"value\":[1700000000.123,\"0\"]}]}}";

    assertThat(PromJson.instant(body)).containsExactly(
        new Sample(Map.of("__name__", "up", "job", "a"), 1, 1_700_000_000_123L),
        new Sample(Map.of("__name__", "up", "job", "b"), 0, 1_700_000_000_123L));
  }

  @Test
  void scalarGivesOneSampleWithoutLabels() {
    String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"42.5\"]}}";

    assertThat(PromJson.instant(body)).containsExactly(new Sample(Map.of(), 42.5, 1_700_000_000_000L));
  }

  @Test
  void matrixGivesEverySampleInTimeOrder() {
    String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"__name__\":\"c\"},\"values\":[[20,\"2\"],[10,\"1\"]]}]}}";

    assertThat(PromJson.matrix(body)).containsExactly(
        Map.entry(Map.of("__name__", "c"), List.of(new RawSample(10_000, 1), new RawSample(20_000, 2))));
  }

  @Test
  void exportJoinsLinesOfOneSeriesInTimeOrder() {
    String body = "{\"metric\":{\"__name__\":\"c\"},\"values\":[3,4],\"timestamps\":[3000,4000]}\n"
        + "{\"metric\":{\"__name__\":\"c\"},\"values\":[1],\"timestamps\":[1000]}\n"
        + "{\"metric\":{\"__name__\":\"d\"},\"values\":[9],\"timestamps\":[1000]}\n";

    assertThat(PromJson.export(body)).containsExactly(
        Map.entry(Map.of("__name__", "c"),
            List.of(new RawSample(1000, 1), new RawSample(3000, 3), new RawSample(4000, 4))),
        Map.entry(Map.of("__name__", "d"), List.of(new RawSample(1000, 9))));
  }

  @Test
  void exportedNullIsAStaleMarker() {
    String body = "{\"metric\":{\"__name__\":\"c\"},\"values\":[1,null],\"timestamps\":[1000,2000]}\n";

    List<RawSample> samples = PromJson.export(body).get(Map.of("__name__", "c"));
    assertThat(samples).hasSize(2);
    assertThat(Double.doubleToRawLongBits(samples.get(1).value())).isEqualTo(0x7ff0000000000002L);
  }

  @Test
  void emptyExportIsNoSeries() {
    assertThat(PromJson.export("")).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "+Inf, Infinity",
      "-Inf, -Infinity",
      "NaN,  NaN",
      "1e3,  1000",
      "0.25, 0.25",
  })
  void valueStringsOfTheQueryApi(String text, double expected) {
    // Boxed: Double.equals treats NaN as equal to NaN.
    assertThat(Double.valueOf(PromJson.value(JsonNodeFactory.instance.textNode(text))))
        .isEqualTo(Double.valueOf(expected));
  }

  @Test
  void failedQueryIsReportedWithTheBody() {
    String body = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}";

    assertThatThrownBy(() -> PromJson.instant(body)).hasMessageContaining("parse error");
  }
}
