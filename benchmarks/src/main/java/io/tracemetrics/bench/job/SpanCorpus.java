package io.tracemetrics.bench.job;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The pre-filled topic's content, generated record by record (never all in memory) from a fixed seed,
 * with the exact number of spans each series must end up with. Record r holds spans of service
 * {@code r % services}; end times rise with r across {@code eventMinutes} of the recent past (plus up to
 * half a second of jitter), so many windows fire while the backlog is read.
 */
final class SpanCorpus {
  private final JobBenchOptions options;
  private final long firstEndMillis;
  private final Map<SeriesId, Long> expected = new HashMap<>();
  private long bytes;

  /** A series as the job labels it. */
  record SeriesId(String service, String spanName, String spanKind, String statusCode) {
    static SeriesId of(Map<String, String> labels) {
      return new SeriesId(labels.get("service_name"), labels.get("span_name"), labels.get("span_kind"),
          labels.get("status_code"));
    }
  }

  SpanCorpus(JobBenchOptions options, long nowMillis) {
    this.options = options;
    // Ends a minute before now: every window is in the past, none is further back than a few minutes.
    this.firstEndMillis = nowMillis - (options.eventMinutes() + 1) * 60_000L;
  }

  int records() {
    return (options.spans() + options.spansPerRecord() - 1) / options.spansPerRecord();
  }

  /** Generates every record in order; afterwards {@link #expected()} holds the totals. */
  void generate(Consumer<byte[]> out) {
    expected.clear();
    bytes = 0;
    SplittableRandom random = new SplittableRandom(7);
    int records = records();
    long spanMillis = options.eventMinutes() * 60_000L;
    int left = options.spans();
    for (int r = 0; r < records; r++) {
      String service = "bench-service-" + (r % options.services());
      long baseEndMillis = firstEndMillis + spanMillis * r / records;
      int n = Math.min(left, options.spansPerRecord());
      List<Span> spans = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int name = random.nextInt(options.spanNames());
        boolean error = random.nextInt(100) < options.errorPercent();
        long endNanos = (baseEndMillis + random.nextInt(500)) * 1_000_000L + random.nextInt(1_000_000);
        Span span = SpanShape.span(random, name, error, endNanos, SpanShape.durationNanos(random));
        spans.add(span);
        expected.merge(new SeriesId(service, span.getName(), span.getKind().name(),
            error ? Status.StatusCode.STATUS_CODE_ERROR.name() : Status.StatusCode.STATUS_CODE_UNSET.name()),
            1L, Long::sum);
      }
      left -= n;
      byte[] value = SpanShape.record(service, spans);
      bytes += value.length;
      out.accept(value);
    }
  }

  /** Spans per series, after {@link #generate}. */
  Map<SeriesId, Long> expected() {
    return Map.copyOf(expected);
  }

  /** Encoded bytes of all records, after {@link #generate}. */
  long bytes() {
    return bytes;
  }
}
