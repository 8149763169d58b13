package io.tracemetrics.sink.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.sink.TestReceiver;
import io.tracemetrics.sink.WireDecoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's example runs, and writes what it says. */
class RemoteWriteExampleTest {
  private static final long EVENTS = 100;
  private static final long START_MILLIS = 1_000_000;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @Test
  void exampleJobWritesEveryCounterSampleExactlyOnce() throws Exception {
    try (TestReceiver receiver = new TestReceiver()) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(2);
      RemoteWriteExample.addTo(env, receiver.url(), EVENTS, START_MILLIS);
      env.execute("example");

      List<String> received = new ArrayList<>();
      for (WireDecoder.DecodedSeries series : receiver.acceptedSeries()) {
        assertThat(series.labels()).extracting(WireDecoder.DecodedLabel::name).containsExactly("__name__", "shard");
        for (WireDecoder.DecodedSample sample : series.samples()) {
          received.add(sample(series.label("__name__"), series.label("shard"), sample.value(), sample.timestamp()));
        }
      }
      // Event i is the (i/4 + 1)th event of shard i%4, at START_MILLIS + i: every one exactly once, nothing else.
      List<String> expected = new ArrayList<>();
      for (long i = 0; i < EVENTS; i++) {
        expected.add(sample("example_events_total", Long.toString(i % 4), i / 4 + 1, START_MILLIS + i));
      }
      assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static String sample(String name, String shard, double value, long timestamp) {
    return name + "{shard=\"" + shard + "\"} " + value + " @" + timestamp;
  }
}
