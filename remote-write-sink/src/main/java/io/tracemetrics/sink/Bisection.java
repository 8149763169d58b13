package io.tracemetrics.sink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the series a receiver refuses in a request it rejected as a whole, so the other series are
 * stored: the rejected run of series is split in two halves and each is sent, the first half before the
 * second; a half that is rejected again is split again, down to single series, which are the refused
 * ones.
 *
 * <p>Parts are contiguous runs of series sent depth first, left to right: every series is sent after
 * all series before it in the batch were resolved, so two series entries of one metric (earlier
 * timestamps first) are never reordered.
 *
 * <p>Cost: with {@code n} series of which {@code k} are refused, at most {@code 2·k·⌈log2 n⌉} requests
 * beyond the first (at each depth of the split at most {@code k} disjoint parts hold a refused series,
 * and only those are split, into two requests each), and never more than {@code 2·(n-1)}. A receiver
 * that refuses everything, e.g. a corrupt body, would cost the latter, so {@code maxExtraRequests} caps
 * it: once it is reached, the series not yet sent are given up as {@link Result#unsent}.
 */
final class Bisection {
  /** Sends one part of the batch. */
  @FunctionalInterface
  interface Sender<R> {
    /** @return null once the part is resolved (stored, or dropped for another reason), else the rejection */
    R send(int from, int to) throws IOException, InterruptedException;
  }

  /** A single series the receiver refused, with the answer that refused it. */
  record Refused<R>(int series, R rejection) {}

  /** Series {@code from} (inclusive) to {@code to} (exclusive), never sent because of the cap. */
  record Unsent(int from, int to) {
    int count() {
      return to - from;
    }
  }

  /** What the split found. */
  record Result<R>(int extraRequests, List<Refused<R>> refused, List<Unsent> unsent) {}

  private Bisection() {}

  /** The smallest {@code maxExtraRequests} with which {@code k} refused series among {@code n} are isolated. */
  static int bound(int n, int k) {
    if (n <= 1) {
      return 0;
    }
    int depth = 32 - Integer.numberOfLeadingZeros(n - 1); // ⌈log2 n⌉
    return (int) Math.min(2L * k * depth, 2L * (n - 1));
  }

  /**
   * Splits a batch of {@code seriesCount} series that the receiver rejected with {@code rejection}.
   *
   * @param maxExtraRequests requests allowed beyond the first; the rest is returned as unsent
   */
  static <R> Result<R> isolate(int seriesCount, R rejection, int maxExtraRequests, Sender<R> sender)
      throws IOException, InterruptedException {
    Run<R> run = new Run<>(maxExtraRequests, sender);
    run.split(0, seriesCount, rejection);
    return new Result<>(run.requests, List.copyOf(run.refused), List.copyOf(run.unsent));
  }

  private static final class Run<R> {
    final int maxRequests;
    final Sender<R> sender;
    final List<Refused<R>> refused = new ArrayList<>();
    final List<Unsent> unsent = new ArrayList<>();
    int requests;

    Run(int maxRequests, Sender<R> sender) {
      this.maxRequests = maxRequests;
      this.sender = sender;
    }

    /** Series [from, to) were rejected together with {@code rejection}. */
    void split(int from, int to, R rejection) throws IOException, InterruptedException {
      if (to - from == 1) {
        refused.add(new Refused<>(from, rejection));
        return;
      }
      int mid = (from + to) >>> 1;
      send(from, mid);
      send(mid, to);
    }

    private void send(int from, int to) throws IOException, InterruptedException {
      if (requests >= maxRequests) {
        giveUp(from, to);
        return;
      }
      requests++;
      R rejection = sender.send(from, to);
      if (rejection != null) {
        split(from, to, rejection);
      }
    }

    private void giveUp(int from, int to) {
      Unsent last = unsent.isEmpty() ? null : unsent.get(unsent.size() - 1);
      if (last != null && last.to() == from) {
        unsent.set(unsent.size() - 1, new Unsent(last.from(), to)); // one run, not one per part
      } else {
        unsent.add(new Unsent(from, to));
      }
    }
  }
}
