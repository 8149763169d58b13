package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesStateTest {
  private static final LatencyBuckets BUCKETS = new LatencyBuckets(List.of(10d));
  private static final long NEVER = SeriesState.NEVER;
  private final SeriesState layout = new SeriesState(BUCKETS);

  private static long[] counts(long count, long sum, long below, long above) {
    return new long[] {count, sum, below, above};
  }

  @Test
  void aNewSeriesHasNothingCountedNothingPendingAndWasNeverActiveOrWritten() {
    long[] state = layout.create();
    assertThat(state).containsExactly(0, 0, 0, 0, NEVER, NEVER);
    assertThat(layout.hasPending(state)).isFalse();
    assertThat(layout.firstPending(state)).isEqualTo(SeriesState.NONE);
  }

  @Test
  void countsOfOneWindowGoToOneBlockAndAreMergedWhenItIsDue() {
    long[] state = layout.addPending(layout.create(), 20_000, counts(1, 5, 1, 0));
    state = layout.addPending(state, 20_000, counts(2, 30, 0, 2));
    assertThat(state).containsExactly(0, 0, 0, 0, NEVER, NEVER, 20_000, 3, 35, 1, 2);

    assertThat(layout.mergeDue(state, 10_000)).as("no block for that window: unchanged").isSameAs(state);
    long[] merged = layout.mergeDue(state, 20_000);
    assertThat(merged).containsExactly(3, 35, 1, 2, 20_000, NEVER);
    assertThat(layout.lastActive(merged)).isEqualTo(20_000);
    assertThat(layout.hasPending(merged)).isFalse();
  }

  @Test
  void twoPendingWindowsAreKeptApartAndMergedInTurn() {
    long[] state = layout.addPending(layout.create(), 30_000, counts(1, 50, 0, 1));
    state = layout.addPending(state, 20_000, counts(1, 1, 1, 0));
    state = layout.addPending(state, 20_000, counts(1, 2, 1, 0));
    assertThat(layout.firstPending(state)).isEqualTo(20_000);

    long[] first = layout.mergeDue(state, 20_000);
    assertThat(first).containsExactly(2, 3, 2, 0, 20_000, NEVER, 30_000, 1, 50, 0, 1);
    long[] second = layout.mergeDue(first, 30_000);
    assertThat(second).containsExactly(3, 53, 2, 1, 30_000, NEVER);
  }

  @Test
  void theCumulativeCountsKeepGrowingAcrossWindows() {
    long[] state = layout.mergeDue(layout.addPending(layout.create(), 10_000, counts(1, 1, 1, 0)), 10_000);
    state = layout.mergeDue(layout.addPending(state, 40_000, counts(4, 4, 4, 0)), 40_000);
    assertThat(state).containsExactly(5, 5, 5, 0, 40_000, NEVER);
  }

  @Test
  void pendingCountsUpToAWindowMoveTogetherToAnotherAndLaterOnesStay() {
    long[] state = layout.addPending(layout.create(), 10_000, counts(1, 1, 1, 0));
    state = layout.addPending(state, 20_000, counts(2, 2, 2, 0));
    state = layout.addPending(state, 90_000, counts(4, 40, 0, 4));
    assertThat(layout.pendingSpans(state, 20_000)).isEqualTo(3);
    assertThat(layout.movePending(state, 5_000, 100_000)).as("nothing that old: unchanged").isSameAs(state);

    long[] moved = layout.movePending(state, 20_000, 90_000);
    assertThat(moved).containsExactly(0, 0, 0, 0, NEVER, NEVER, 90_000, 7, 43, 3, 4);
  }

  @Test
  void aRestartZeroesTheCountsButKeepsWhatIsPendingAndWhatWasWritten() {
    long[] state = layout.mergeDue(layout.addPending(layout.create(), 10_000, counts(1, 1, 1, 0)), 10_000);
    layout.setEmittedThrough(state, 50_000);
    state = layout.addPending(state, 70_000, counts(1, 2, 1, 0));
    layout.restart(state);
    assertThat(state).containsExactly(0, 0, 0, 0, NEVER, 50_000, 70_000, 1, 2, 1, 0);
  }
}
