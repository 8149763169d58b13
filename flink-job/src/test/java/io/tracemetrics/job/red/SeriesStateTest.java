package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesStateTest {
  private static final LatencyBuckets BUCKETS = new LatencyBuckets(List.of(10d));
  private final SeriesState layout = new SeriesState(BUCKETS);

  private static long[] counts(long count, long sum, long below, long above) {
    return new long[] {count, sum, below, above};
  }

  @Test
  void aNewSeriesHasNothingCountedNothingPendingAndWasNeverActive() {
    long[] state = layout.create();
    assertThat(state).containsExactly(0, 0, 0, 0, SeriesState.NEVER);
    assertThat(layout.hasPending(state)).isFalse();
  }

  @Test
  void countsOfOneWindowGoToOneBlockAndAreMergedWhenItIsDue() {
    long[] state = layout.addPending(layout.create(), 20_000, counts(1, 5, 1, 0));
    state = layout.addPending(state, 20_000, counts(2, 30, 0, 2));
    assertThat(state).containsExactly(0, 0, 0, 0, SeriesState.NEVER, 20_000, 3, 35, 1, 2);

    assertThat(layout.mergeDue(state, 10_000)).as("no block for that window: unchanged").isSameAs(state);
    long[] merged = layout.mergeDue(state, 20_000);
    assertThat(merged).containsExactly(3, 35, 1, 2, 20_000);
    assertThat(layout.lastActive(merged)).isEqualTo(20_000);
    assertThat(layout.hasPending(merged)).isFalse();
  }

  @Test
  void twoPendingWindowsAreKeptApartAndMergedInTurn() {
    long[] state = layout.addPending(layout.create(), 20_000, counts(1, 1, 1, 0));
    state = layout.addPending(state, 30_000, counts(1, 50, 0, 1));
    state = layout.addPending(state, 20_000, counts(1, 2, 1, 0));

    long[] first = layout.mergeDue(state, 20_000);
    assertThat(first).containsExactly(2, 3, 2, 0, 20_000, 30_000, 1, 50, 0, 1);
    long[] second = layout.mergeDue(first, 30_000);
    assertThat(second).containsExactly(3, 53, 2, 1, 30_000);
  }

  @Test
  void theCumulativeCountsKeepGrowingAcrossWindows() {
    long[] state = layout.mergeDue(layout.addPending(layout.create(), 10_000, counts(1, 1, 1, 0)), 10_000);
    state = layout.mergeDue(layout.addPending(state, 40_000, counts(4, 4, 4, 0)), 40_000);
    assertThat(state).containsExactly(5, 5, 5, 0, 40_000);
  }
}
