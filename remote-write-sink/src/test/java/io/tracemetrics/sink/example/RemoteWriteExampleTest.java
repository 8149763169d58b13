package io.tracemetrics.sink.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.sink.TestReceiver;
import io.tracemetrics.sink.wire.WireDecoder;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's example runs, and writes what it says. */
class RemoteWriteExampleTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @Test
  void exampleJobWritesEveryCounterSample() throws Exception {
    try (TestReceiver receiver = new TestReceiver()) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(2);
      RemoteWriteExample.addTo(env, receiver.url(), 100, 1_000_000);
      env.execute("example");

      List<WireDecoder.DecodedSeries> series = receiver.acceptedSeries();
      assertThat(series).hasSize(100);
      assertThat(series).allSatisfy(s -> assertThat(s.labels()).extracting(l -> l.name())
          .containsExactly("__name__", "shard"));
      assertThat(series.stream().mapToDouble(s -> s.samples().get(0).value()).max().orElseThrow()).isEqualTo(25);
    }
  }
}
