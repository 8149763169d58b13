package io.tracemetrics.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.testsupport.store.RawSample;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountedCallsTest {
  private static List<RawSample> values(double... values) {
    List<RawSample> samples = new java.util.ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      samples.add(new RawSample(10_000L * i, values[i]));
    }
    return samples;
  }

  @Test
  void aCounterCountsItsLastValueAndARestartCountsFromZero() {
    assertThat(ThroughputBench.counted(values(1, 3, 3, 7))).isEqualTo(7);
    assertThat(ThroughputBench.counted(values(2, 2, 1, 2))).as("expired at 2, came back with 1, then 2").isEqualTo(4);
    assertThat(ThroughputBench.counted(values())).isZero();
  }

  @Test
  void staleMarkersAreSkippedAndZerosMakeAReturnVisible() {
    double stale = Double.longBitsToDouble(0x7ff0000000000002L);
    assertThat(ThroughputBench.counted(values(0, 1, 1, stale, 0, 1, 2))).isEqualTo(3);
  }
}
