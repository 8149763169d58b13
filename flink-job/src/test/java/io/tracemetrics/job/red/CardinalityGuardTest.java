package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.otlp.SpanEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CardinalityGuardTest {
  private KeyedOneInputStreamOperatorTestHarness<String, WindowCounts, WindowCounts> harness;

  @BeforeEach
  void setUp() throws Exception {
    start(null);
  }

  private void start(OperatorSubtaskState restoreFrom) throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new CardinalityGuard(2, Duration.ofSeconds(60))), WindowCounts::service, Types.STRING);
    if (restoreFrom != null) {
      harness.initializeState(restoreFrom);
    }
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private List<WindowCounts> send(String service, String name, long end) throws Exception {
    harness.getOutput().clear();
    harness.processElement(new StreamRecord<>(OneSpan.counts(new SpanEvent(service, name, 2, 1, end, 1, ""))));
    return harness.extractOutputValues();
  }

  private static boolean overflow(WindowCounts counts) {
    return counts.series().overflow();
  }

  @Test
  void aServiceAtItsLimitSendsNewSeriesToItsOverflowSeriesAndKnownOnesThrough() throws Exception {
    assertThat(send("a", "one", 1_000)).extracting(CardinalityGuardTest::overflow).containsExactly(false);
    assertThat(send("a", "two", 1_000)).extracting(CardinalityGuardTest::overflow).containsExactly(false);
    List<WindowCounts> third = send("a", "three", 1_000);
    assertThat(third).extracting(CardinalityGuardTest::overflow).containsExactly(true);
    assertThat(third.get(0).spanName()).isEmpty();
    assertThat(third.get(0).spanCount()).as("the span still counts, in the overflow series").isEqualTo(1);
    assertThat(send("a", "one", 2_000)).extracting(CardinalityGuardTest::overflow).containsExactly(false);
    assertThat(send("b", "three", 1_000)).as("the limit is per service").extracting(CardinalityGuardTest::overflow)
        .containsExactly(false);
  }

  @Test
  void seriesIdleLongerThanTheExpiryGiveTheirPlaceUp() throws Exception {
    send("a", "one", 1_000);
    send("a", "two", 50_000);
    harness.processWatermark(75_000);
    assertThat(send("a", "three", 75_000)).as("'one' last had spans in the window ending at 10 s: 65 s > 60 s").extracting(CardinalityGuardTest::overflow)
        .containsExactly(false);
    assertThat(send("a", "four", 75_000)).as("'two' in the window ending at 60 s: 15 s only").extracting(CardinalityGuardTest::overflow)
        .containsExactly(true);
  }

  @Test
  void afterARestoreIdleSeriesGiveTheirPlaceUpBeforeTheNewRunHasAWatermark() throws Exception {
    send("a", "one", 1_000);
    send("a", "two", 50_000);
    harness.processWatermark(75_000);
    send("a", "two", 75_000);
    OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
    harness.close();

    start(checkpoint);
    assertThat(send("a", "three", 76_000)).as("'one' is idle by the checkpointed watermark, as it was before")
        .extracting(CardinalityGuardTest::overflow).containsExactly(false);
  }

  private static long fingerprint(String name, String region, String... dimensions) {
    SeriesKey series = new SeriesKey(2, 1, region, dimensions, false);
    return CardinalityGuard.fingerprint(new WindowCounts("svc", name, series, 10_000, new long[] {1}));
  }

  @Test
  void fingerprintsTellLabelListsApartAndDoNotChangeBetweenVersions() {
    assertThat(fingerprint("ab", "c")).isNotEqualTo(fingerprint("a", "bc"));
    assertThat(fingerprint("a", "", "b", "")).isNotEqualTo(fingerprint("a", "", "", "b"));
    assertThat(fingerprint("op", "", "\u0100")).isNotEqualTo(fingerprint("op", "", "\u0001"));
    // Kept in savepoints: a new version must compute the same value (checked against an independent
    // FNV-1a 64 over the same bytes).
    assertThat(fingerprint("GET /cart", "eu", "gold")).isEqualTo(PINNED);
  }

  private static final long PINNED = 7781754019445724908L;
}
