package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TimeSeriesTest {
  @Test
  void labelsAreSortedByNameAndExcludeTheMetricName() {
    TimeSeries series = TimeSeries.builder("calls_total").label("span_name", "GET /")
        .label("service_name", "api").label("Zone", "eu").sample(1, 10).build();

    assertThat(series.metricName()).isEqualTo("calls_total");
    assertThat(series.labelCount()).isEqualTo(3);
    assertThat(series.labelName(0)).isEqualTo("Zone");
    assertThat(series.labelName(1)).isEqualTo("service_name");
    assertThat(series.labelValue(1)).isEqualTo("api");
    assertThat(series.labelName(2)).isEqualTo("span_name");
  }

  @Test
  void emptyLabelValueMeansAbsentLabel() {
    TimeSeries series = TimeSeries.builder("m").label("a", "").label("b", "x").sample(1, 1).build();

    assertThat(series.labelCount()).isEqualTo(1);
    assertThat(series.labelName(0)).isEqualTo("b");
  }

  @Test
  void samplesKeepTheirOrderAndValues() {
    TimeSeries series = TimeSeries.builder("m").sample(1.5, 100).sample(Double.NaN, 200)
        .sample(3, 300).build();

    assertThat(series.sampleCount()).isEqualTo(3);
    assertThat(series.sampleValue(0)).isEqualTo(1.5);
    assertThat(series.sampleValue(1)).isNaN();
    assertThat(series.sampleTimestamp(2)).isEqualTo(300);
  }

  @Test
  void builderIsReusableAndBuiltSeriesDoNotChange() {
    TimeSeries.Builder builder = TimeSeries.builder("m").label("a", "1").sample(1, 1);
    TimeSeries first = builder.build();
    TimeSeries second = builder.sample(2, 2).build();

    assertThat(first.sampleCount()).isEqualTo(1);
    assertThat(second.sampleCount()).isEqualTo(2);
  }

  static Stream<Arguments> invalidSeries() {
    return Stream.of(
        invalid("metric name with dash", () -> TimeSeries.builder("a-b").sample(1, 1).build(),
            "metric name 'a-b'"),
        invalid("metric name starting with digit", () -> TimeSeries.builder("1m").sample(1, 1).build(),
            "metric name '1m'"),
        invalid("empty metric name", () -> TimeSeries.builder("").sample(1, 1).build(),
            "metric name ''"),
        invalid("label name with colon", () -> TimeSeries.builder("m").label("a:b", "v"),
            "label name 'a:b'"),
        invalid("label name with unicode", () -> TimeSeries.builder("m").label("é", "v"),
            "label name 'é'"),
        invalid("__name__ label", () -> TimeSeries.builder("m").label("__name__", "x"),
            "reserved"),
        invalid("reserved __ prefix", () -> TimeSeries.builder("m").label("__tenant", "x"),
            "reserved"),
        invalid("duplicate label", () -> TimeSeries.builder("m").label("a", "1").label("a", "2"),
            "duplicate label 'a'"),
        invalid("duplicate label with empty value",
            () -> TimeSeries.builder("m").label("a", "").label("a", "2"), "duplicate label 'a'"),
        invalid("no sample", () -> TimeSeries.builder("m").build(), "has no sample"),
        invalid("timestamps out of order",
            () -> TimeSeries.builder("m").sample(1, 2).sample(1, 1).build(), "strictly increasing"),
        invalid("duplicate timestamp",
            () -> TimeSeries.builder("m").sample(1, 2).sample(2, 2).build(), "strictly increasing"));
  }

  private static Arguments invalid(String name, Supplier<?> action, String message) {
    return Arguments.of(name, action, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSeries")
  void invalidInputIsRejectedWithAClearMessage(String name, Supplier<?> action, String message) {
    assertThatThrownBy(action::get).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void validNamesAreAccepted() {
    TimeSeries series = TimeSeries.builder("ns:sub_metric_total").label("_x", "1").label("A9", "2")
        .sample(1, 1).build();

    assertThat(series.labelCount()).isEqualTo(2);
  }
}
