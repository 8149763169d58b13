package io.tracemetrics.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapHistogramTest {
  @Test
  void parsesTheJvmsClassHistogramLines() {
    String text = """
         num     #instances         #bytes  class name (module)
        -------------------------------------------------------
           1:         12345         678900  [B (java.base@17.0.15)
           2:           100           2400  io.tracemetrics.job.red.SeriesKey
        Total         12445         681300
        """;

    Map<String, HeapHistogram.Entry> byClass = HeapHistogram.parse(text);

    assertThat(byClass).containsOnlyKeys("[B", "io.tracemetrics.job.red.SeriesKey");
    assertThat(byClass.get("[B")).isEqualTo(new HeapHistogram.Entry("[B", 12345, 678900));
  }

  @Test
  void aLiveHistogramShowsWhatWasAllocatedAndKeptSinceTheFirst() throws Exception {
    HeapHistogram before = HeapHistogram.take();
    long[][] kept = new long[20_000][];
    for (int i = 0; i < kept.length; i++) {
      kept[i] = new long[16];
    }

    HeapHistogram after = HeapHistogram.take();

    assertThat(after.growthSince(before, 3)).anySatisfy(entry -> {
      assertThat(entry.className()).isEqualTo("[J");
      assertThat(entry.instances()).isGreaterThanOrEqualTo(kept.length);
    });
    assertThat(kept[kept.length - 1]).hasSize(16);
  }
}
