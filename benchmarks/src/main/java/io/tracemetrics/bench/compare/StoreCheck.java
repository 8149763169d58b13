package io.tracemetrics.bench.compare;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tracemetrics.bench.compare.load.RequestSet;
import io.tracemetrics.bench.compare.load.SeriesKey;
import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What the store holds of the load's series ({@code service_name=~"svc-.*"}) against the load generator's
 * oracle (spans accepted, per series): the highest value each counter reached since the stack started
 * (what a replay or a restart must never lower), the last values, how many series carry them and PromQL
 * {@code resets()}. Series are compared one by one up to {@link #PER_SERIES_LIMIT} series.
 */
final class StoreCheck {
  static final String CALLS = "llm_traces_span_metrics_calls_total";
  static final String LOAD_SERIES = CALLS + "{service_name=~\"svc-.*\"}";
  static final int PER_SERIES_LIMIT = 200_000;

  /**
   * One reading. {@code mismatchedSeries} is -1 when series were not compared one by one; {@code
   * extraSeries} counts series whose labels the oracle does not know or that repeat a known label set.
   */
  record Reading(long expected, long unknown, long stored, long last, long series, long expectedSeries,
      long resets, long mismatchedSeries, long extraSeries) {

    /** Every accepted span counted once (or a span of unknown fate too), no reset, no extra series. */
    @JsonProperty
    boolean exact() {
      return stored >= expected && stored <= expected + unknown && last == stored && resets == 0
          && series == expectedSeries && mismatchedSeries <= 0 && extraSeries <= 0;
    }

    String summary() {
      return (exact() ? "exact" : "NOT exact") + ": stored " + stored + " (last " + last + ") of " + expected
          + " accepted" + (unknown > 0 ? " (+" + unknown + " unknown)" : "") + ", " + series + "/"
          + expectedSeries + " series, resets " + resets
          + (mismatchedSeries >= 0 ? ", " + mismatchedSeries + " series off" : "")
          + (extraSeries > 0 ? ", " + extraSeries + " extra series" : "");
    }
  }

  private final PromQuery store;
  private final Instant since;

  StoreCheck(PromQuery store, Instant since) {
    this.store = store;
    this.since = since;
  }

  /** Totals only: cheap enough to poll. */
  long stored() {
    return (long) value("sum(max_over_time(" + LOAD_SERIES + range() + "))");
  }

  Reading read(RequestSet requests, long[] acceptedPerSeries, long unknown) {
    long expected = 0;
    long expectedSeries = 0;
    for (long count : acceptedPerSeries) {
      expected += count;
      expectedSeries += count > 0 ? 1 : 0;
    }
    String range = range();
    long stored = (long) value("sum(max_over_time(" + LOAD_SERIES + range + "))");
    long last = (long) value("sum(last_over_time(" + LOAD_SERIES + range + "))");
    long series = (long) value("count(max_over_time(" + LOAD_SERIES + range + "))");
    long resets = (long) value("sum(resets(" + LOAD_SERIES + range + "))");
    long mismatched = -1;
    long extra = -1;
    if (series <= PER_SERIES_LIMIT) {
      Map<SeriesKey, Integer> ids = new HashMap<>();
      for (int id = 0; id < requests.seriesCount(); id++) {
        ids.put(requests.series(id), id);
      }
      long[] seen = new long[acceptedPerSeries.length];
      boolean[] found = new boolean[acceptedPerSeries.length];
      extra = 0;
      for (Sample sample : store.instant("max_over_time(" + LOAD_SERIES + range + ")")) {
        Integer id = ids.get(new SeriesKey(sample.label("service_name"), sample.label("span_name"),
            sample.label("span_kind"), sample.label("status_code")));
        if (id == null || found[id]) {
          extra++;
        } else {
          found[id] = true;
          seen[id] = (long) sample.value();
        }
      }
      mismatched = 0;
      for (int id = 0; id < seen.length; id++) {
        mismatched += seen[id] != acceptedPerSeries[id] ? 1 : 0;
      }
    }
    return new Reading(expected, unknown, stored, last, series, expectedSeries, resets, mismatched, extra);
  }

  private String range() {
    return "[" + (Duration.between(since, Instant.now()).toSeconds() + 120) + "s]";
  }

  private double value(String promql) {
    OptionalDouble value = store.scalar(promql);
    return value.orElse(0);
  }
}
