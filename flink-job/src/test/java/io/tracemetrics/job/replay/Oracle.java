package io.tracemetrics.job.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What the store must hold, computed from the spans sent by the documented rules alone (no class of the
 * job): which spans are accepted, the label set a span is counted under, and its count and latency sum.
 *
 * <p>Expiry is in event time, at the window a span is counted in: a span read before the job has a watermark
 * (the backlog sent before its first start) is counted in its own window, unless it ended more than the
 * backfill horizon before the run started (then about when the run starts); any later span in its own window
 * (ahead of the clock: later than it was sent) or, when late, in the next window: when it was sent or up to
 * the future-skew cap later (spans from ahead move the watermark ahead of the clock). A pause of at least twice the expiry between a
 * series' spans, so placed, must have expired it and started it again; a pause of less than half of it must
 * not have; in between either is right, and so is either last value unless a later pause must restart it.
 */
final class Oracle {
  static final String CALLS = "llm_traces_span_metrics_calls_total";
  static final String COUNT = "llm_traces_span_metrics_latency_count";
  static final String SUM = "llm_traces_span_metrics_latency_sum";
  static final String BUCKET = "llm_traces_span_metrics_latency_bucket";
  static final String OVERFLOW_LABEL = "otel_metric_overflow";

  private static final String[] KINDS = {
    "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER",
    "SPAN_KIND_CONSUMER"
  };
  private static final String[] STATUSES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};
  private static final long YEAR_2000_MILLIS = 946_684_800_000L;
  private static final long DAY_MILLIS = TimeUnit.DAYS.toMillis(1);
  /** How long after its start the job may take to read its first records and have a watermark. */
  private static final long STARTUP_MS = 4_000;

  /**
   * The expectation for one label set (without {@code __name__}).
   *
   * @param longestGap the longest pause between its spans, over every placement
   * @param finalCount the last value its counter must end with, or -1 when expiry makes more than one right
   */
  record Expected(Map<String, String> labels, long count, long sumMillis, long longestGap, long finalCount) {
    boolean mayHaveExpired() {
      return longestGap >= Scenario.EXPIRY_MS / 2;
    }
  }

  private final Map<Map<String, String>, Expected> series;
  private final Map<String, Long> totalsByService;
  private final long accepted;
  private final long rejected;

  private Oracle(Map<Map<String, String>, Expected> series, Map<String, Long> totalsByService, long accepted,
      long rejected) {
    this.series = series;
    this.totalsByService = totalsByService;
    this.accepted = accepted;
    this.rejected = rejected;
  }

  /**
   * @param sent every span written, in order
   * @param runStartMillis when the job first started: what was sent before is read as a backlog
   */
  static Oracle of(List<SentSpan> sent, long runStartMillis) {
    Map<Map<String, String>, List<SentSpan>> bySeries = new TreeMap<>(Oracle::compareLabels);
    long rejected = 0;
    for (SentSpan span : sent) {
      if (!accepted(span)) {
        rejected++;
        continue;
      }
      bySeries.computeIfAbsent(labels(span.plan()), l -> new ArrayList<>()).add(span);
    }
    Map<Map<String, String>, Expected> series = new TreeMap<>(Oracle::compareLabels);
    Map<String, Long> totals = new TreeMap<>();
    long accepted = 0;
    for (Map.Entry<Map<String, String>, List<SentSpan>> entry : bySeries.entrySet()) {
      Expected expected = expect(entry.getKey(), entry.getValue(), runStartMillis);
      series.put(entry.getKey(), expected);
      totals.merge(entry.getKey().get("service_name"), expected.count(), Long::sum);
      accepted += expected.count();
    }
    return new Oracle(series, totals, accepted, rejected);
  }

  /** The job's documented input rules: end not before start, not before 2000, at most a day ahead. */
  static boolean accepted(SentSpan span) {
    long endMillis = TimeUnit.NANOSECONDS.toMillis(span.endNanos());
    return span.endNanos() >= span.startNanos()
        && endMillis >= YEAR_2000_MILLIS
        && endMillis <= span.sentMillis() + DAY_MILLIS;
  }

  static Map<String, String> labels(SpanPlan plan) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("service_name", plan.service());
    labels.put("span_name", plan.spanName());
    labels.put("span_kind", plan.kind() >= 0 && plan.kind() < KINDS.length ? KINDS[plan.kind()] : KINDS[0]);
    labels.put("status_code",
        plan.status() >= 0 && plan.status() < STATUSES.length ? STATUSES[plan.status()] : STATUSES[0]);
    return labels;
  }

  /**
   * About when, in event time, the job counts a span (see the class comment), if it had no watermark yet for
   * what was sent before {@code readsFromMillis}.
   */
  static long countedAt(SentSpan span, long runStartMillis, long readsFromMillis, long lateDelayMillis) {
    long endMillis = TimeUnit.NANOSECONDS.toMillis(span.endNanos());
    if (span.sentMillis() >= readsFromMillis) {
      // Late: in the next window, which is ahead of the clock when spans from ahead moved the watermark;
      // ahead: in its own.
      boolean late = endMillis < span.sentMillis() - Scenario.OUT_OF_ORDERNESS_MS - Scenario.WINDOW_MS;
      return late ? span.sentMillis() + lateDelayMillis : Math.max(span.sentMillis(), endMillis);
    }
    return endMillis < runStartMillis - Scenario.BACKFILL_HORIZON_MS ? runStartMillis : endMillis;
  }

  /**
   * The pauses between the spans of a series, counted where they would be: the longest, and the count since
   * the last pause after which it must have started again (-1 when a later pause may or may not restart it).
   */
  private record Gaps(long longest, long lastSegment) {
    static Gaps of(List<SentSpan> spans, long runStartMillis, long readsFromMillis, long lateDelayMillis) {
      List<Long> times = new ArrayList<>();
      spans.forEach(span -> times.add(countedAt(span, runStartMillis, readsFromMillis, lateDelayMillis)));
      times.sort(null);
      long longest = 0;
      long lastSegment = 0;
      boolean either = false;
      for (int i = 0; i < times.size(); i++) {
        long gap = i == 0 ? 0 : times.get(i) - times.get(i - 1);
        longest = Math.max(longest, gap);
        if (gap >= 2 * Scenario.EXPIRY_MS) {
          lastSegment = 1;
          either = false;
        } else {
          lastSegment++;
          either |= gap >= Scenario.EXPIRY_MS / 2;
        }
      }
      return new Gaps(longest, either ? -1 : lastSegment);
    }
  }

  private static Expected expect(Map<String, String> labels, List<SentSpan> spans, long runStartMillis) {
    long sumNanos = 0;
    for (SentSpan span : spans) {
      sumNanos += span.endNanos() - span.startNanos();
    }
    // The job's first watermark comes some time after its start: spans sent until then are a backlog too.
    // A late span lands in the window after the watermark, up to the future-skew cap ahead of the clock.
    List<Gaps> placements = List.of(
        Gaps.of(spans, runStartMillis, runStartMillis, 0),
        Gaps.of(spans, runStartMillis, runStartMillis + STARTUP_MS, 0),
        Gaps.of(spans, runStartMillis, runStartMillis, Scenario.MAX_FUTURE_SKEW_MS),
        Gaps.of(spans, runStartMillis, runStartMillis + STARTUP_MS, Scenario.MAX_FUTURE_SKEW_MS));
    long longest = placements.stream().mapToLong(Gaps::longest).max().orElse(0);
    long finalCount = placements.stream().mapToLong(Gaps::lastSegment).distinct().count() == 1
        ? placements.get(0).lastSegment() : -1;
    return new Expected(Map.copyOf(labels), spans.size(), TimeUnit.NANOSECONDS.toMillis(sumNanos), longest,
        finalCount);
  }

  static int compareLabels(Map<String, String> a, Map<String, String> b) {
    return new TreeMap<>(a).toString().compareTo(new TreeMap<>(b).toString());
  }

  /** Labels of a stored series without its name (and without {@code le}): the key of {@link #series()}. */
  static Map<String, String> identity(Map<String, String> stored) {
    Map<String, String> labels = new HashMap<>(stored);
    labels.remove("__name__");
    labels.remove("le");
    return new TreeMap<>(labels);
  }

  Map<Map<String, String>, Expected> series() {
    return series;
  }

  Map<String, Long> totalsByService() {
    return totalsByService;
  }

  long accepted() {
    return accepted;
  }

  long rejected() {
    return rejected;
  }
}
