package io.tracemetrics.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.bench.compare.StoreCheck.Reading;
import org.junit.jupiter.api.Test;

class ReadingTest {
  @Test
  void exactMeansEveryAcceptedSpanOnceInTheSeriesTheOracleKnows() {
    assertThat(new Reading(100, 0, 100, 100, 4, 4, 0, 0, 0).exact()).isTrue();
    // A span of unknown fate may or may not be counted.
    assertThat(new Reading(100, 2, 101, 101, 4, 4, 0, -1, -1).exact()).isTrue();
  }

  @Test
  void lossDoubleCountsResetsAndExtraSeriesAreNotExact() {
    assertThat(new Reading(100, 0, 99, 99, 4, 4, 0, 1, 0).exact()).as("a lost span").isFalse();
    assertThat(new Reading(100, 0, 101, 101, 4, 4, 0, 1, 0).exact()).as("a span counted twice").isFalse();
    assertThat(new Reading(100, 0, 100, 60, 4, 4, 1, 0, 0).exact()).as("a counter reset").isFalse();
    assertThat(new Reading(100, 0, 100, 100, 6, 4, 0, 0, 2).exact()).as("a label set in two series").isFalse();
  }

  @Test
  void theSummarySaysWhatIsOff() {
    assertThat(new Reading(100, 0, 90, 90, 8, 4, 0, 4, 4).summary())
        .isEqualTo("NOT exact: stored 90 (last 90) of 100 accepted, 8/4 series, resets 0, 4 series off, 4 extra series");
  }
}
