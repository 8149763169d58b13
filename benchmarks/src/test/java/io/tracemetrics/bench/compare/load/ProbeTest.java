package io.tracemetrics.bench.compare.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeTest {
  @Test
  void probesEndAtSendTimeInTheirOwnSeriesAndAreCountedByAnswer() throws Exception {
    try (FakeOtlpStack stack = new FakeOtlpStack(2, 0)) {
      long before = System.currentTimeMillis();
      try (Probe probe = new Probe(stack.endpoint(), Duration.ofMillis(50))) {
        probe.start();
        Thread.sleep(600);
        probe.stop();
        long after = System.currentTimeMillis();
        List<Long> ends = probe.acceptedEndMillis();
        assertThat(probe.acceptedSpans()).isEqualTo(ends.size()).isGreaterThanOrEqualTo(3);
        assertThat(probe.refusedSpans()).isBetween(probe.acceptedSpans() - 1, probe.acceptedSpans() + 1);
        assertThat(probe.unknownSpans()).isZero();
        assertThat(ends).isSorted().allSatisfy(end -> assertThat(end).isBetween(before, after));
        assertThat(stack.accepted()).isEqualTo(Map.of(new SeriesKey(Probe.SERVICE, Probe.SPAN_NAME,
            "SPAN_KIND_SERVER", "STATUS_CODE_UNSET"), probe.acceptedSpans()));
        long sent = stack.receivedSpans();
        Thread.sleep(200);
        assertThat(stack.receivedSpans()).as("nothing after stop").isEqualTo(sent);
      }
    }
  }
}
