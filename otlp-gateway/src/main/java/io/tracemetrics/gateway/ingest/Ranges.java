package io.tracemetrics.gateway.ingest;

import java.util.Arrays;

/** Byte ranges {@code [start, end)} of whole fields in a scanned body, in input order; growable while scanning. */
final class Ranges {
  private int[] bounds = new int[4];
  private int count;
  private int bytes;

  void add(int start, int end) {
    if (2 * count + 2 > bounds.length) {
      bounds = Arrays.copyOf(bounds, bounds.length * 2);
    }
    bounds[2 * count] = start;
    bounds[2 * count + 1] = end;
    count++;
    bytes += end - start;
  }

  int count() {
    return count;
  }

  int start(int i) {
    return bounds[2 * i];
  }

  int end(int i) {
    return bounds[2 * i + 1];
  }

  int length(int i) {
    return end(i) - start(i);
  }

  /** Sum of the lengths. */
  int bytes() {
    return bytes;
  }
}
