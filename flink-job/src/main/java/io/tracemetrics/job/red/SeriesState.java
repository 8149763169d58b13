package io.tracemetrics.job.red;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One series' whole state as one {@code long[]}, so a series costs one map entry and one array:
 * {@code [cumulative counts | last active window end | pending block…]}, where the cumulative counts have
 * the {@link LatencyBuckets} layout (so they can be emitted as they are) and each pending block is
 * {@code [window end, counts]}: the counts of a window not emitted yet. Usually one window is pending;
 * around a window's end, with out-of-orderness, two. The array holds exactly the pending blocks.
 */
final class SeriesState implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The last-active value of a series whose counts were never emitted. */
  static final long NEVER = Long.MIN_VALUE;

  /** Length of the counts layout. */
  private final int counts;

  SeriesState(LatencyBuckets buckets) {
    this.counts = buckets.newCounts().length;
  }

  /** A series with nothing counted and nothing pending. */
  long[] create() {
    long[] state = new long[counts + 1];
    state[counts] = NEVER;
    return state;
  }

  /** The end of the last window the series had spans in, or {@link #NEVER}. */
  long lastActive(long[] state) {
    return state[counts];
  }

  boolean hasPending(long[] state) {
    return state.length > counts + 1;
  }

  /**
   * Adds counts to the pending block of a window.
   *
   * @return the state: the same array, or a longer copy when the window had no block yet
   */
  long[] addPending(long[] state, long windowEnd, long[] delta) {
    for (int block = counts + 1; block < state.length; block += counts + 1) {
      if (state[block] == windowEnd) {
        addAt(state, block + 1, delta);
        return state;
      }
    }
    long[] grown = Arrays.copyOf(state, state.length + counts + 1);
    grown[state.length] = windowEnd;
    addAt(grown, state.length + 1, delta);
    return grown;
  }

  /**
   * Moves the pending block of a window into the cumulative counts and marks the series active then.
   *
   * @return the state: a shorter copy, or the same array when the window had no block
   */
  long[] mergeDue(long[] state, long windowEnd) {
    for (int block = counts + 1; block < state.length; block += counts + 1) {
      if (state[block] == windowEnd) {
        long[] merged = new long[state.length - counts - 1];
        System.arraycopy(state, 0, merged, 0, block);
        System.arraycopy(state, block + counts + 1, merged, block, state.length - block - counts - 1);
        for (int i = 0; i < counts; i++) {
          merged[i] += state[block + 1 + i];
        }
        merged[counts] = windowEnd;
        return merged;
      }
    }
    return state;
  }

  private static void addAt(long[] into, int offset, long[] delta) {
    for (int i = 0; i < delta.length; i++) {
      into[offset + i] += delta[i];
    }
  }
}
