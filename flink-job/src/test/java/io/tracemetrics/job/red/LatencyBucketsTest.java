package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {
  private final LatencyBuckets buckets = new LatencyBuckets(LatencyBuckets.DEFAULT_BOUNDS_MS);

  @ParameterizedTest(name = "{0} ns -> le={1}")
  @CsvSource({
    "0, 2",
    "1, 2",
    "2000000, 2",
    "2000001, 4",
    "9999999, 10",
    "10000000, 10",
    "10000001, 50",
    "999999999, 1000",
    "1000000000, 1000",
    "15000000000, 15000",
    "15000000001, +Inf",
    "9223372036854775807, +Inf",
  })
  void durationFallsInTheFirstBucketWhoseBoundIsAtOrAboveIt(long nanos, String le) {
    assertThat(buckets.le(buckets.bucketOf(nanos))).isEqualTo(le);
  }

  @Test
  void leLabelsAreWrittenAsPrometheusWritesThem() {
    LatencyBuckets odd = new LatencyBuckets(List.of(0.5, 1d, 2.25, 1e6));
    assertThat(List.of(odd.le(0), odd.le(1), odd.le(2), odd.le(3), odd.le(4)))
        .containsExactly("0.5", "1", "2.25", "1000000", "+Inf");
  }

  @Test
  void countsKeepCountExactSumAndBuckets() {
    long[] counts = buckets.newCounts();
    buckets.add(counts, 1_500_000);
    buckets.add(counts, 20_000_000_000L);
    assertThat(counts[LatencyBuckets.COUNT]).isEqualTo(2);
    assertThat(counts[LatencyBuckets.SUM_NANOS]).isEqualTo(20_001_500_000L);
    assertThat(counts[LatencyBuckets.FIRST_BUCKET]).isEqualTo(1);
    assertThat(counts[LatencyBuckets.FIRST_BUCKET + buckets.bucketCount() - 1]).isEqualTo(1);
  }

  @Test
  void boundsMustBeIncreasingPositiveAndFinite() {
    assertThatThrownBy(() -> new LatencyBuckets(List.of(2d, 1d))).hasMessageContaining("strictly increasing");
    assertThatThrownBy(() -> new LatencyBuckets(List.of(0d))).hasMessageContaining("positive");
    assertThatThrownBy(() -> new LatencyBuckets(List.of(Double.POSITIVE_INFINITY))).hasMessageContaining("finite");
    assertThatThrownBy(() -> new LatencyBuckets(List.of())).hasMessageContaining("empty");
  }
}
