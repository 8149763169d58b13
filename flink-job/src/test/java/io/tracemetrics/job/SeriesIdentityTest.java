package io.tracemetrics.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.otlp.SpanEvent;
import io.tracemetrics.sink.TimeSeries;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A series is its label set: random spans with odd kinds and statuses, empty and absent values and long
 * names go through the job's whole series graph (pre-aggregation, series limit, aggregator) on a
 * MiniCluster, and an oracle that renders labels by its own rules checks that no label set is written twice
 * for one timestamp and that each label set's last value counts every span that renders to it.
 *
 * <p>Each case prints its seed on failure; a seed that found a bug goes into {@link #REGRESSION_SEEDS}.
 */
class SeriesIdentityTest {
  private static final String CALLS = "llm_traces_span_metrics_calls_total";
  private static final String COUNT = "llm_traces_span_metrics_latency_count";
  private static final long[] REGRESSION_SEEDS = {};
  private static final int RANDOM_SEEDS = 2;
  private static final long START = 1_750_000_000_000L;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @Test
  void spansWithTheSameLabelSetAddToOneSeriesAndDifferentLabelSetsStayApart() throws Exception {
    for (long seed : seeds()) {
      check(seed, 10_000);
    }
  }

  @Test
  void withTheSeriesLimitReachedTotalsStayExactAndNoLabelSetIsWrittenTwice() throws Exception {
    for (long seed : seeds()) {
      check(seed, 5);
    }
  }

  private static List<Long> seeds() {
    List<Long> seeds = new ArrayList<>();
    for (long seed : REGRESSION_SEEDS) {
      seeds.add(seed);
    }
    long base = System.nanoTime();
    for (int i = 0; i < RANDOM_SEEDS; i++) {
      seeds.add(base + i);
    }
    return seeds;
  }

  private static void check(long seed, int maxSeries) throws Exception {
    String context = "seed " + seed + ", series limit " + maxSeries
        + " (rerun: put the seed in SeriesIdentityTest.REGRESSION_SEEDS)";
    List<SpanEvent> spans = corpus(new Random(seed));
    List<TimeSeries> written = run(spans, maxSeries);

    Map<String, Double> last = new HashMap<>();
    Map<String, Long> lastAt = new HashMap<>();
    Map<String, Integer> perTimestamp = new HashMap<>();
    for (TimeSeries series : written) {
      String labels = series.metricName() + render(series);
      long at = series.sampleTimestamp(0);
      assertThat(perTimestamp.merge(labels + "@" + at, 1, Integer::sum))
          .as("%s: label set %s written twice at %d", context, abbreviated(labels), at)
          .isEqualTo(1);
      // A stale marker (NaN) ends a series after its expiry; the value it closes is the one to check.
      boolean staleMarker = Double.isNaN(series.sampleValue(0));
      if (!staleMarker && (!lastAt.containsKey(labels) || lastAt.get(labels) < at)) {
        lastAt.put(labels, at);
        last.put(labels, series.sampleValue(0));
      }
    }

    Map<String, Long> expected = Oracle.count(spans);
    if (maxSeries >= expected.size()) {
      // Labels with a long value are written shortened, so those series are matched by their values only.
      for (Map.Entry<String, Long> entry : expected.entrySet()) {
        if (entry.getKey().length() < 4096) {
          assertThat(last.get(CALLS + entry.getKey())).as("%s: calls of %s", context, abbreviated(entry.getKey()))
              .isEqualTo(entry.getValue().doubleValue());
          assertThat(last.get(COUNT + entry.getKey()))
              .as("%s: latency count of %s", context, abbreviated(entry.getKey()))
              .isEqualTo(entry.getValue().doubleValue());
        }
      }
      assertThat(values(last, CALLS)).as("%s: calls per label set", context).isEqualTo(sorted(expected.values()));
      assertThat(values(last, COUNT)).as("%s: count per label set", context).isEqualTo(sorted(expected.values()));
    } else {
      double total = last.entrySet().stream()
          .filter(e -> e.getKey().startsWith(CALLS))
          .mapToDouble(Map.Entry::getValue)
          .sum();
      assertThat(total).as("%s: admitted + overflow calls", context).isEqualTo(spans.size());
    }
  }

  private static String abbreviated(String labels) {
    return labels.length() <= 400 ? labels
        : labels.substring(0, 200) + "…(" + labels.length() + " chars)…" + labels.substring(labels.length() - 200);
  }

  private static List<Long> values(Map<String, Double> last, String metric) {
    List<Long> values = new ArrayList<>();
    last.forEach((labels, value) -> {
      if (labels.startsWith(metric + "{")) {
        values.add(value.longValue());
      }
    });
    return sorted(values);
  }

  private static List<Long> sorted(java.util.Collection<Long> values) {
    List<Long> out = new ArrayList<>(values);
    out.sort(null);
    return out;
  }

  private static List<TimeSeries> run(List<SpanEvent> spans, int maxSeries) throws Exception {
    JobOptions options = JobOptions.fromArgs(new String[] {
        "--metrics.dimensions", "tier;http.route=none",
        "--series.max-per-service", Integer.toString(maxSeries),
        "--series.expiry", "1h", "--window.size", "1 min"}, Map.of());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    DataStream<SpanEvent> stream = env
        .fromData(SpanEvent.class, spans.toArray(SpanEvent[]::new))
        .assignTimestampsAndWatermarks(WatermarkStrategy.<SpanEvent>forBoundedOutOfOrderness(Duration.ofHours(1))
            .withTimestampAssigner((span, previous) -> span.endTimeMillis()))
        .uid("spans");
    List<TimeSeries> out = new ArrayList<>();
    RedMetricsJob.series(options, List.of(stream))
        .filter(series -> series.metricName().equals(CALLS) || series.metricName().equals(COUNT))
        .executeAndCollect()
        .forEachRemaining(out::add);
    return out;
  }

  /** Spans over a few minutes whose identities collide in every way the written labels allow. */
  private static List<SpanEvent> corpus(Random random) {
    String longName = "x".repeat(5000);
    String[] services = {"checkout", "cart"};
    String[] names = {"GET /", "", "db", longName + "a", longName + "b", "ünïcödé"};
    String[] regions = {"", "eu"};
    String[] tiers = {"", "gold"};
    String[] routes = {"none", "", "/a"};
    List<SpanEvent> spans = new ArrayList<>();
    int n = 300 + random.nextInt(700);
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(4) == 0 ? 6 + random.nextInt(100) : random.nextInt(6);
      int status = random.nextInt(4) == 0 ? 3 + random.nextInt(100) : random.nextInt(3);
      if (random.nextInt(8) == 0) {
        kind = -2 - random.nextInt(5); // negative enum numbers are valid varints too
      }
      String[] dims = {pick(random, tiers), pick(random, routes)};
      spans.add(new SpanEvent(pick(random, services), pick(random, names), kind, status,
          START + random.nextInt(180_000), 1 + random.nextInt(50_000_000), pick(random, regions), dims));
    }
    return spans;
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** {k=v,...} sorted, as VictoriaMetrics stores it: label values cut at 16 KiB of UTF-8. */
  private static String render(TimeSeries series) {
    TreeMap<String, String> labels = new TreeMap<>();
    for (int i = 0; i < series.labelCount(); i++) {
      byte[] value = series.labelValue(i).getBytes(StandardCharsets.UTF_8);
      labels.put(series.labelName(i), new String(value, 0, Math.min(value.length, 16384), StandardCharsets.UTF_8));
    }
    return labels.toString();
  }

  /** The label set of a span by its own rules, written from the OTLP spec and Prometheus' label semantics. */
  static final class Oracle {
    private static final String[] KINDS = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
        "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
    private static final String[] STATUSES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};
    private static final String[] DIMENSION_LABELS = {"tier", "http_route"};

    static Map<String, Long> count(List<SpanEvent> spans) {
      Map<String, Long> counts = new HashMap<>();
      for (SpanEvent span : spans) {
        counts.merge(labels(span).toString(), 1L, Long::sum);
      }
      return counts;
    }

    static TreeMap<String, String> labels(SpanEvent span) {
      TreeMap<String, String> labels = new TreeMap<>();
      put(labels, "service_name", span.serviceName());
      put(labels, "span_name", span.spanName());
      int kind = span.spanKind();
      put(labels, "span_kind", kind >= 0 && kind < KINDS.length ? KINDS[kind] : KINDS[0]);
      int status = span.statusCode();
      put(labels, "status_code", status >= 0 && status < STATUSES.length ? STATUSES[status] : STATUSES[0]);
      put(labels, "region", span.region());
      for (int i = 0; i < DIMENSION_LABELS.length; i++) {
        put(labels, DIMENSION_LABELS[i], span.dimensions()[i]);
      }
      return labels;
    }

    /** An empty label is no label. */
    private static void put(TreeMap<String, String> labels, String name, String value) {
      if (!value.isEmpty()) {
        labels.put(name, value);
      }
    }
  }
}
