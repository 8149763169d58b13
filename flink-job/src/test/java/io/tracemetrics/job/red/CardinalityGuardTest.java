package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.otlp.SpanEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CardinalityGuardTest {
  private KeyedOneInputStreamOperatorTestHarness<String, SpanEvent, SpanEvent> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new CardinalityGuard(2, Duration.ofSeconds(60))), SpanEvent::serviceName, Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private List<SpanEvent> send(String service, String name, long end) throws Exception {
    harness.getOutput().clear();
    harness.processElement(new StreamRecord<>(new SpanEvent(service, name, 2, 1, end, 1, ""), end));
    return harness.extractOutputValues();
  }

  @Test
  void aServiceAtItsLimitSendsNewSeriesToItsOverflowSeriesAndKnownOnesThrough() throws Exception {
    assertThat(send("a", "one", 1_000)).extracting(SpanEvent::overflow).containsExactly(false);
    assertThat(send("a", "two", 1_000)).extracting(SpanEvent::overflow).containsExactly(false);
    List<SpanEvent> third = send("a", "three", 1_000);
    assertThat(third).extracting(SpanEvent::overflow).containsExactly(true);
    assertThat(third.get(0).spanName()).isEmpty();
    assertThat(third.get(0).durationNanos()).as("the span still counts, in the overflow series").isEqualTo(1);
    assertThat(send("a", "one", 2_000)).extracting(SpanEvent::overflow).containsExactly(false);
    assertThat(send("b", "three", 1_000)).as("the limit is per service").extracting(SpanEvent::overflow)
        .containsExactly(false);
  }

  @Test
  void seriesIdleLongerThanTheExpiryGiveTheirPlaceUp() throws Exception {
    send("a", "one", 1_000);
    send("a", "two", 50_000);
    harness.processWatermark(70_000);
    assertThat(send("a", "three", 70_000)).as("'one' was idle 69 s > 60 s").extracting(SpanEvent::overflow)
        .containsExactly(false);
    assertThat(send("a", "four", 70_000)).as("'two' was idle 20 s only").extracting(SpanEvent::overflow)
        .containsExactly(true);
  }
}
