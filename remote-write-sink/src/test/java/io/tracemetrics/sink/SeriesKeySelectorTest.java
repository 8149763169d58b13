package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeriesKeySelectorTest {
  @Test
  void seriesKeyDependsOnNameAndLabelsOnlyAndIsStableAcrossJvms() throws Exception {
    TimeSeries a = TimeSeries.builder("m").label("b", "2").label("a", "1").sample(1, 1).build();
    TimeSeries sameSeriesLater = TimeSeries.builder("m").label("a", "1").label("b", "2")
        .sample(5, 99).build();
    TimeSeries otherLabelSplit = TimeSeries.builder("m").label("a", "12").label("b", "").sample(1, 1)
        .build();

    Integer key = RemoteWriteSink.seriesKeySelector().getKey(a);

    assertThat(RemoteWriteSink.seriesKeySelector().getKey(sameSeriesLater)).isEqualTo(key);
    assertThat(RemoteWriteSink.seriesKeySelector().getKey(otherLabelSplit)).isNotEqualTo(key);
    // Worked by hand from String.hashCode (specified by the language): 109 ("m"), then
    // 31 * (31 * h + "a") + "1" = 107805, then 31 * (31 * h + "b") + "2". Must never change.
    assertThat(key).isEqualTo(103_603_693);
  }
}
