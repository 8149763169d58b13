package io.tracemetrics.testsupport.store;

/** One stored sample of a series, as written: timestamp in milliseconds and value. */
public record RawSample(long timestampMillis, double value) {

  @Override
  public String toString() {
    return value + "@" + timestampMillis;
  }
}
