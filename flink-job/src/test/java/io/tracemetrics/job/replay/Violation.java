package io.tracemetrics.job.replay;

import io.tracemetrics.testsupport.store.RawSample;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One broken guarantee, with what reproduces it: the guarantee's number from the issue, the store it was
 * seen in, the series and the samples involved.
 */
record Violation(String guarantee, String store, Map<String, String> series, String detail, List<RawSample> samples) {

  Violation {
    series = new TreeMap<>(series);
    samples = samples.size() > 8 ? List.copyOf(samples.subList(0, 8)) : List.copyOf(samples);
  }

  @Override
  public String toString() {
    return "G" + guarantee + " [" + store + "] " + series + ": " + detail + (samples.isEmpty() ? "" : " samples " + samples);
  }
}
