package io.tracemetrics.job.replay;

import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.RawSample;
import io.tracemetrics.testsupport.store.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The guarantees of the issue, each checked against the oracle on what the stores hold. Numbers are the
 * issue's: 1 totals, 2 no decrease, 3 one value per replayed sample, 4 bounded catch-up, 6 stable series
 * limit, 8 every increment visible to increase().
 */
final class Checks {
  private final Oracle oracle;
  private final long runStartMillis;
  private final long runEndMillis;
  private final List<Violation> violations = new ArrayList<>();

  Checks(Oracle oracle, long runStartMillis, long runEndMillis) {
    this.oracle = oracle;
    this.runStartMillis = runStartMillis;
    this.runEndMillis = runEndMillis;
  }

  List<Violation> violations() {
    return violations;
  }

  /** Guarantees 1 and 6 on one store's last values. */
  void totals(StoredSeries stored) {
    for (String metric : new String[] {Oracle.CALLS, Oracle.COUNT}) {
      Map<String, Double> byService = new TreeMap<>();
      Map<String, List<Map<String, String>>> admitted = new HashMap<>();
      stored.named(metric).forEach((labels, samples) -> {
        Map<String, String> identity = Oracle.identity(labels);
        String service = identity.get("service_name");
        double last = StoredSeries.last(samples).value();
        byService.merge(service, last, Double::sum);
        if (StoredSeries.overflow(identity)) {
          if (!service.endsWith("-over")) {
            add("6", stored, labels, "overflow series of a service that never had more than "
                + Scenario.SERIES_LIMIT + " label sets", samples);
          }
          return;
        }
        admitted.computeIfAbsent(service, s -> new ArrayList<>()).add(identity);
        Oracle.Expected expected = oracle.series().get(identity);
        if (expected == null) {
          add("1", stored, labels, "a series the corpus never had", samples);
        } else if (expected.finalCount() >= 0 && last != expected.finalCount()) {
          boolean overService = service.endsWith("-over");
          add(overService ? "6" : "1", stored, labels, "last value " + last + ", oracle " + expected.finalCount()
              + (overService ? " (admitted from its first span, so every span is its own)" : ""), tail(samples));
        }
      });
      oracle.series().forEach((identity, expected) -> {
        // Which series of the service over the limit are admitted depends on the order its first spans come
        // in (sums of one watermark interval reach the limit together); each is admitted whole or not at all.
        boolean mayOverflow = identity.get("service_name").endsWith("-over");
        if (!mayOverflow && !stored.named(metric).containsKey(named(metric, identity))) {
          add("1", stored, identity, metric + " missing, oracle " + expected.count() + " spans", List.of());
        }
      });
      admitted.forEach((service, series) -> {
        if (series.size() > Scenario.SERIES_LIMIT) {
          add("6", stored, Map.of("service_name", service), series.size() + " admitted series over the limit "
              + Scenario.SERIES_LIMIT + ": " + series, List.of());
        }
      });
      expectedByService().forEach((service, expected) -> {
        double actual = byService.getOrDefault(service, 0d);
        if (expected >= 0 && actual != expected) {
          add("1", stored, Map.of("service_name", service, "__name__", metric),
              "admitted + overflow last values sum to " + actual + ", oracle " + expected, List.of());
        }
      });
    }
  }

  /** The latency sum of every series that never expired: exact milliseconds. */
  void latencySums(StoredSeries stored) {
    stored.named(Oracle.SUM).forEach((labels, samples) -> {
      Oracle.Expected expected = oracle.series().get(Oracle.identity(labels));
      if (expected != null && !expected.mayHaveExpired()) {
        double last = StoredSeries.last(samples).value();
        if (Math.abs(last - expected.sumMillis()) > 1e-6 * Math.max(1, expected.sumMillis())) {
          add("1", stored, labels, "latency sum " + last + " ms, oracle " + expected.sumMillis() + " ms", tail(samples));
        }
      }
    });
  }

  /** Guarantee 2: a stored counter goes down only where the oracle says its series may have expired. */
  void neverDecrease(StoredSeries stored) {
    stored.series().forEach((labels, samples) -> {
      Map<String, String> identity = Oracle.identity(labels);
      Oracle.Expected expected = oracle.series().get(identity);
      if (expected != null && expected.mayHaveExpired()) {
        return;
      }
      if (StoredSeries.overflow(identity) && oracle.series().values().stream().anyMatch(e -> e.mayHaveExpired()
          && e.labels().get("service_name").equals(identity.get("service_name")))) {
        return; // the overflow series is made of the service's series: it may expire where one of them may
      }
      List<List<RawSample>> decreases = StoredSeries.decreases(samples);
      if (!decreases.isEmpty()) {
        add("2", stored, labels, "value went down " + decreases.size() + " times (false counter resets), first",
            decreases.get(0));
      }
    });
  }

  /** Guarantee 3: every (series, timestamp) written more than once carries one value. */
  void oneValuePerTimestamp(StoredSeries raw) {
    raw.series().forEach((labels, samples) -> {
      List<RawSample> first = null;
      int conflicts = 0;
      for (int i = 1; i < samples.size(); i++) {
        RawSample before = samples.get(i - 1);
        RawSample sample = samples.get(i);
        if (sample.timestampMillis() == before.timestampMillis()
            && Double.doubleToLongBits(sample.value()) != Double.doubleToLongBits(before.value())) {
          conflicts++;
          first = first == null ? List.of(before, sample) : first;
        }
      }
      if (first != null) {
        add("3", raw, labels, conflicts + " windows written again with another value, first", first);
      }
    });
  }

  /**
   * Guarantee 4: no sample stamped before the run's start minus the backfill horizon ({@code tooOld}: the
   * store's count of those per series), and no more windows per series than can have elapsed.
   */
  void boundedCatchUp(StoredSeries raw, Map<Map<String, String>, Long> tooOld) {
    long oldest = runStartMillis - Scenario.BACKFILL_HORIZON_MS;
    long maxWindows = (runEndMillis - oldest) / Scenario.WINDOW_MS + 2;
    tooOld.forEach((labels, count) -> add("4", raw, labels, count + " samples stamped before the run's start minus "
        + Scenario.BACKFILL_HORIZON_MS + " ms (" + Instant.ofEpochMilli(oldest) + "): emitted for a span's age",
        List.of()));
    raw.series().forEach((labels, samples) -> {
      long windows = samples.stream().mapToLong(RawSample::timestampMillis).distinct().count();
      if (windows > maxWindows) {
        add("4", raw, labels, windows + " distinct windows, at most " + maxWindows + " can have elapsed", List.of());
      }
    });
  }

  /** Guarantee 8: increase() over the whole run, evaluated at the series' last sample, equals the oracle. */
  void increaseSeesEveryIncrement(StoredSeries stored, PromQuery query) {
    long rangeStart = runStartMillis - Scenario.BACKFILL_HORIZON_MS;
    oracle.series().forEach((identity, expected) -> {
      List<RawSample> samples = stored.named(Oracle.CALLS).get(named(Oracle.CALLS, identity));
      if (samples == null || samples.isEmpty()) {
        return;
      }
      long at = StoredSeries.last(samples).timestampMillis();
      long rangeSeconds = Math.max(1, (at - rangeStart + 999) / 1000);
      String promql = "increase(" + Oracle.CALLS + selector(identity) + "[" + rangeSeconds + "s])";
      List<Sample> result = query.instant(promql, Instant.ofEpochMilli(at));
      double value = result.isEmpty() ? 0 : result.get(0).value();
      if (Math.abs(value - expected.count()) > 1e-6 * expected.count()) {
        add("8", stored, identity, promql + " = " + value + ", oracle " + expected.count(), samples.subList(0,
            Math.min(3, samples.size())));
      }
    });
  }

  private Map<String, Long> expectedByService() {
    Map<String, Long> expected = new TreeMap<>();
    oracle.series().values().forEach(e -> expected.merge(e.labels().get("service_name"), e.finalCount(),
        (a, b) -> a < 0 || b < 0 ? -1 : a + b));
    return expected;
  }

  private static Map<String, String> named(String metric, Map<String, String> identity) {
    Map<String, String> labels = new TreeMap<>(identity);
    labels.put("__name__", metric);
    return labels;
  }

  private static String selector(Map<String, String> identity) {
    StringBuilder selector = new StringBuilder("{");
    identity.forEach((k, v) -> selector.append(selector.length() > 1 ? "," : "").append(k).append("=\"")
        .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
    return selector.append('}').toString();
  }

  private static List<RawSample> tail(List<RawSample> samples) {
    return samples.subList(Math.max(0, samples.size() - 4), samples.size());
  }

  private void add(String guarantee, StoredSeries stored, Map<String, String> labels, String detail,
      List<RawSample> samples) {
    violations.add(new Violation(guarantee, stored.store(), labels, detail, samples));
  }
}
