package io.tracemetrics.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WindowProbeTest {
  @Test
  void countsOnlySeriesWithASampleAtExactlyTheWindowEnd() throws Exception {
    String export = """
        {"metric":{"__name__":"c","s":"a"},"values":[1,2],"timestamps":[1700000000000,1700000010000]}
        {"metric":{"__name__":"c","s":"b"},"values":[1],"timestamps":[1700000009999]}
        {"metric":{"__name__":"c","s":"c"},"values":[5],"timestamps":[1700000010000]}

        """;

    assertThat(WindowProbe.count(export, 1_700_000_010_000L)).isEqualTo(2);
    assertThat(WindowProbe.count(export, 1_700_000_020_000L)).isZero();
    assertThat(WindowProbe.count("", 1L)).isZero();
  }
}
