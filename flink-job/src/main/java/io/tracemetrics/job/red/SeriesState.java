package io.tracemetrics.job.red;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One series' whole state as one {@code long[]}, so a series costs one map entry and one array:
 * {@code [cumulative counts | last active window end | emitted through | pending block…]}, where the
 * cumulative counts have the {@link LatencyBuckets} layout (so they can be emitted as they are), "emitted
 * through" is the end of the last window the series wrote, and each pending block is
 * {@code [window end, counts]}: the counts of a window not written yet. Usually one or two windows are
 * pending; more while a checkpoint is awaited. The array holds exactly the pending blocks.
 */
final class SeriesState implements Serializable {
  private static final long serialVersionUID = 2L;

  /** The last-active (or emitted-through) value of a series whose counts were never emitted. */
  static final long NEVER = Long.MIN_VALUE;
  /** What {@link #firstPending} answers when nothing is pending. */
  static final long NONE = Long.MAX_VALUE;

  /** Length of the counts layout. */
  private final int counts;
  /** Length of the fixed part: counts, last active, emitted through. */
  private final int header;

  SeriesState(LatencyBuckets buckets) {
    this.counts = buckets.newCounts().length;
    this.header = counts + 2;
  }

  /** A series with nothing counted, nothing pending and nothing written. */
  long[] create() {
    long[] state = new long[header];
    state[counts] = NEVER;
    state[counts + 1] = NEVER;
    return state;
  }

  /** The end of the last window the series had spans in since it (re)started, or {@link #NEVER}. */
  long lastActive(long[] state) {
    return state[counts];
  }

  /** The end of the last window the series wrote (a value or its stale markers), or {@link #NEVER}. */
  long emittedThrough(long[] state) {
    return state[counts + 1];
  }

  void setEmittedThrough(long[] state, long windowEnd) {
    state[counts + 1] = windowEnd;
  }

  boolean hasPending(long[] state) {
    return state.length > header;
  }

  /** The earliest window with pending counts, or {@link #NONE}. */
  long firstPending(long[] state) {
    long first = NONE;
    for (int block = header; block < state.length; block += counts + 1) {
      first = Math.min(first, state[block]);
    }
    return first;
  }

  /**
   * Adds counts to the pending block of a window.
   *
   * @return the state: the same array, or a longer copy when the window had no block yet
   */
  long[] addPending(long[] state, long windowEnd, long[] delta) {
    for (int block = header; block < state.length; block += counts + 1) {
      if (state[block] == windowEnd) {
        addAt(state, block + 1, delta, 0);
        return state;
      }
    }
    long[] grown = Arrays.copyOf(state, state.length + counts + 1);
    grown[state.length] = windowEnd;
    addAt(grown, state.length + 1, delta, 0);
    return grown;
  }

  /** How many spans are pending in windows ending at or before {@code through}. */
  long pendingSpans(long[] state, long through) {
    long spans = 0;
    for (int block = header; block < state.length; block += counts + 1) {
      if (state[block] <= through) {
        spans += state[block + 1 + LatencyBuckets.COUNT];
      }
    }
    return spans;
  }

  /**
   * Moves the pending counts of every window ending at or before {@code through} to the block of
   * {@code target}.
   *
   * @return the state: the same array when no block was that old, else a copy
   */
  long[] movePending(long[] state, long through, long target) {
    long[] moved = null;
    long[] kept = Arrays.copyOf(state, header);
    for (int block = header; block < state.length; block += counts + 1) {
      if (state[block] <= through) {
        moved = moved == null ? new long[counts] : moved;
        addAt(moved, 0, state, block + 1);
      } else {
        kept = Arrays.copyOf(kept, kept.length + counts + 1);
        System.arraycopy(state, block, kept, kept.length - counts - 1, counts + 1);
      }
    }
    return moved == null ? state : addPending(kept, target, moved);
  }

  /**
   * Moves the pending block of a window into the cumulative counts and marks the series active then.
   *
   * @return the state: a shorter copy, or the same array when the window had no block
   */
  long[] mergeDue(long[] state, long windowEnd) {
    for (int block = header; block < state.length; block += counts + 1) {
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

  /** Ends the series' life (it expired): counts back to zero, never active; pending blocks stay. */
  void restart(long[] state) {
    Arrays.fill(state, 0, counts, 0);
    state[counts] = NEVER;
  }

  /** Adds {@code counts} values of {@code from}, starting at {@code fromOffset}, into {@code into}. */
  private void addAt(long[] into, int offset, long[] from, int fromOffset) {
    for (int i = 0; i < counts; i++) {
      into[offset + i] += from[fromOffset + i];
    }
  }
}
