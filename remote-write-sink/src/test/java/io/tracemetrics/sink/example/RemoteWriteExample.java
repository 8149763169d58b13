package io.tracemetrics.sink.example;

import io.tracemetrics.sink.RemoteWriteSink;
import io.tracemetrics.sink.TimeSeries;
import java.time.Duration;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * How a Flink job uses the sink, runnable as it is: it writes {@code example_events_total{shard}} counters
 * to a Remote-Write endpoint.
 *
 * <pre>
 * mvn -pl remote-write-sink test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tracemetrics.sink.example.RemoteWriteExample \
 *   -Dexec.args="http://localhost:8428/api/v1/write 1000"
 * </pre>
 */
public final class RemoteWriteExample {
  private RemoteWriteExample() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://localhost:8428/api/v1/write";
    long events = args.length > 1 ? Long.parseLong(args[1]) : 1_000;
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    addTo(env, url, events, System.currentTimeMillis());
    env.execute("remote-write example");
  }

  /** Adds the example pipeline: {@code events} counter samples over 4 shards, one ms apart. */
  static void addTo(StreamExecutionEnvironment env, String url, long events, long startMillis) {
    env.enableCheckpointing(1_000); // the sink flushes at every checkpoint
    RemoteWriteSink sink = RemoteWriteSink.builder()
        .endpoint(url)
        .maxBufferTime(Duration.ofMillis(200))
        .build();
    env.fromSequence(0, events - 1)
        .map(new ToSeries(startMillis))
        .keyBy(RemoteWriteSink.seriesKeySelector()) // one series always goes through one writer
        .sinkTo(sink)
        .uid("remote-write");
  }

  /** Event i is the (i/4 + 1)th event of shard i%4: a cumulative counter per shard. */
  static final class ToSeries implements MapFunction<Long, TimeSeries> {
    private static final long serialVersionUID = 1L;
    private final long startMillis;

    ToSeries(long startMillis) {
      this.startMillis = startMillis;
    }

    @Override
    public TimeSeries map(Long i) {
      return TimeSeries.builder("example_events_total")
          .label("shard", Long.toString(i % 4))
          .sample(i / 4 + 1, startMillis + i)
          .build();
    }
  }
}
