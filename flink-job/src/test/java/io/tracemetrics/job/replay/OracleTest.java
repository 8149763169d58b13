package io.tracemetrics.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The oracle's expiry bands on hand-made series, without the stack. */
class OracleTest {
  private static final long RUN_START = 1_796_313_450_000L;
  private static final SpanPlan PLAN = new SpanPlan("svc", "GET /", 2, 1, Timing.ON_TIME, 1, 0);

  @Test
  void aPauseOfTwiceTheExpiryRestartsTheCountAndAShortOneDoesNot() {
    List<SentSpan> spans = new ArrayList<>();
    spans.add(span(RUN_START - 200, RUN_START - 15_500)); // backlog, alone: 15 s before the others
    spans.addAll(everyTick(RUN_START - 200, RUN_START + 15_000));

    Oracle.Expected expected = only(Oracle.of(spans, RUN_START));

    assertThat(expected.count()).isEqualTo(spans.size());
    assertThat(expected.finalCount()).isEqualTo(spans.size() - 1);
  }

  /**
   * Seed 8659942579797399283: after the pause that must restart the series, a span ahead of the clock lands
   * about 10 s after the last on-time one, which may or may not restart it again; the oracle asked for the
   * count since the first restart only.
   */
  @Test
  void aLaterPauseThatMayRestartLeavesTheLastValueOpen() {
    List<SentSpan> spans = new ArrayList<>();
    spans.add(span(RUN_START - 200, RUN_START - 15_500));
    spans.addAll(everyTick(RUN_START - 200, RUN_START + 15_000));
    spans.add(span(RUN_START + 14_700, RUN_START + 8_000)); // late
    spans.add(span(RUN_START + 14_700, RUN_START + 24_700)); // beyond the future-skew cap

    Oracle.Expected expected = only(Oracle.of(spans, RUN_START));

    assertThat(expected.mayHaveExpired()).isTrue();
    assertThat(expected.finalCount()).isEqualTo(-1);
  }

  @Test
  void aPauseThatMayRestartFollowedByOneThatMustFixesTheLastValue() {
    List<SentSpan> spans = new ArrayList<>(everyTick(RUN_START, RUN_START + 3_000));
    spans.addAll(everyTick(RUN_START + 7_000, RUN_START + 9_000)); // 4 s pause: either
    List<SentSpan> last = everyTick(RUN_START + 20_000, RUN_START + 22_000); // 11 s pause: must
    spans.addAll(last);

    Oracle.Expected expected = only(Oracle.of(spans, RUN_START));

    assertThat(expected.finalCount()).isEqualTo(last.size());
  }

  private static Oracle.Expected only(Oracle oracle) {
    assertThat(oracle.series()).hasSize(1);
    return oracle.series().values().iterator().next();
  }

  private static List<SentSpan> everyTick(long fromMillis, long toMillis) {
    List<SentSpan> spans = new ArrayList<>();
    for (long sent = fromMillis; sent <= toMillis; sent += Scenario.TICK_MS) {
      spans.add(span(sent, sent - 20));
    }
    return spans;
  }

  private static SentSpan span(long sentMillis, long endMillis) {
    long endNanos = TimeUnit.MILLISECONDS.toNanos(endMillis);
    return new SentSpan(PLAN, endNanos - 1_000_000, endNanos, sentMillis);
  }
}
