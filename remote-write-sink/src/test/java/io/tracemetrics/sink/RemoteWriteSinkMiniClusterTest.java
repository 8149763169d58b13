package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.sink.WireDecoder.DecodedLabel;
import io.tracemetrics.sink.WireDecoder.DecodedSample;
import io.tracemetrics.sink.WireDecoder.DecodedSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs a small job on an in-process Flink cluster against a local receiver. */
class RemoteWriteSinkMiniClusterTest {
  private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder()
          .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
          .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private final TestReceiver receiver = new TestReceiver();

  RemoteWriteSinkMiniClusterTest() throws Exception {}

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void jobDeliversEverySeriesExactlyOnceWithoutKryo() throws Exception {
    List<TimeSeries> input = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      input.add(TimeSeries.builder("calls_total").label("service_name", "svc" + (i % 7))
          .label("span_name", "op \"" + i + "\"").sample(i, 1_000).sample(i + 0.5, 2_000).build());
    }
    receiver.respond(TestReceiver.status(503)); // one transient failure on the way
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false); // Kryo fallback would fail the job
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    RemoteWriteSink sink = RemoteWriteSink.builder().endpoint(receiver.url()).maxBatchSamples(10)
        .basicAuth("writer", "pa:ss").header("X-Scope-OrgID", "tenant-1").build();

    env.fromData(input).keyBy(RemoteWriteSink.seriesKeySelector()).sinkTo(sink).name("remote-write");
    JobExecutionResult result = env.execute("remote-write-sink-test");

    assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
    assertThat(receiver.acceptedSeries()).containsExactlyInAnyOrderElementsOf(
        input.stream().map(RemoteWriteSinkMiniClusterTest::expected).toList());
    assertThat(receiver.requests()).allSatisfy(r -> {
      assertThat(r.series()).hasSizeLessThanOrEqualTo(5);
      assertThat(r.headers().getFirst("Authorization")).isEqualTo("Basic d3JpdGVyOnBhOnNz");
      assertThat(r.headers().getFirst("X-Scope-OrgID")).isEqualTo("tenant-1");
      assertThat(r.headers().getFirst("Content-Encoding")).isEqualTo("snappy");
      assertThat(r.headers().getFirst("User-Agent")).startsWith("tracemetrics-remote-write-sink/");
    });
    assertThat(sum(REPORTER.findMetrics(result.getJobID(), "samplesOut").values())).isEqualTo(80);
    assertThat(sum(REPORTER.findMetrics(result.getJobID(), "retries").values())).isEqualTo(1);
  }

  @Test
  void partialBatchIsSentByTheBufferTimerWhileNoRecordsArrive() throws Exception {
    int first = 5;
    List<TimeSeries> input = new ArrayList<>();
    for (int i = 0; i < first; i++) {
      input.add(TimeSeries.builder("early_" + i).sample(i, 1_000).build());
    }
    input.add(TimeSeries.builder(HoldLastUntilDelivered.LAST).sample(9, 1_000).build());
    HoldLastUntilDelivered.receiver = receiver;
    HoldLastUntilDelivered.expected = first;
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    // Limits far away and no checkpoints: only the timer can send before the input ends.
    RemoteWriteSink sink = RemoteWriteSink.builder().endpoint(receiver.url())
        .maxBufferTime(Duration.ofMillis(200)).build();

    // keyBy puts the writer in its own task, so the held-back map does not block its mailbox.
    env.fromData(input).map(new HoldLastUntilDelivered())
        .keyBy(RemoteWriteSink.seriesKeySelector()).sinkTo(sink);
    env.execute("remote-write-sink-timer-test");

    assertThat(receiver.accepted()).hasSize(2);
    assertThat(receiver.accepted().get(0).series()).hasSize(first);
    assertThat(receiver.accepted().get(1).series()).singleElement()
        .satisfies(s -> assertThat(s.label("__name__")).isEqualTo(HoldLastUntilDelivered.LAST));
  }

  @Test
  void completedCheckpointMeansTheReceiverHasEverySampleWrittenBeforeIt() throws Exception {
    int total = 500;
    List<TimeSeries> input = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      input.add(TimeSeries.builder("cp_total").label("i", Integer.toString(i)).sample(i, 1_000).build());
    }
    CheckpointProbe.reset(receiver);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(100);
    // Batches never fill and never age out: only flush-on-checkpoint (and end of input) sends.
    RemoteWriteSink sink = RemoteWriteSink.builder().endpoint(receiver.url())
        .maxBatchSamples(1_000_000).maxBufferTime(Duration.ofHours(1)).build();

    env.fromData(input).map(new CheckpointProbe())
        .keyBy(RemoteWriteSink.seriesKeySelector()).sinkTo(sink);
    env.execute("remote-write-sink-checkpoint-test");

    assertThat(CheckpointProbe.VIOLATIONS).isEmpty();
    assertThat(CheckpointProbe.CHECKED).as("checkpoints completed mid-stream")
        .anySatisfy(before -> assertThat(before).isBetween(1L, total - 1L));
    assertThat(receiver.accepted()).as("requests sent by checkpoint flushes, then end of input")
        .hasSizeGreaterThan(1);
    assertThat(receiver.acceptedSeries()).hasSize(total);
  }

  /**
   * Remembers how many records it passed on at each checkpoint; when the checkpoint completes, checks
   * that the receiver already has at least that many (each record is a distinct series).
   */
  static final class CheckpointProbe implements MapFunction<TimeSeries, TimeSeries>,
      CheckpointedFunction, CheckpointListener {
    static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();
    static final List<Long> CHECKED = new CopyOnWriteArrayList<>();
    private static final Map<Long, Long> PASSED_AT = new ConcurrentHashMap<>();
    private static volatile TestReceiver receiver;
    private long passed;

    static void reset(TestReceiver target) {
      VIOLATIONS.clear();
      CHECKED.clear();
      PASSED_AT.clear();
      receiver = target;
    }

    @Override
    public TimeSeries map(TimeSeries series) throws Exception {
      Thread.sleep(3); // pacing, so that checkpoints happen mid-stream
      passed++;
      return series;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
      PASSED_AT.put(context.getCheckpointId(), passed);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {}

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      Long before = PASSED_AT.remove(checkpointId);
      if (before == null) {
        return;
      }
      int delivered = receiver.acceptedSeries().size();
      CHECKED.add(before);
      if (delivered < before) {
        VIOLATIONS.add("checkpoint " + checkpointId + " completed with " + delivered + " of " + before
            + " series delivered");
      }
    }
  }

  /** Holds the last record back until the receiver has all earlier ones, or fails after a deadline. */
  static final class HoldLastUntilDelivered implements MapFunction<TimeSeries, TimeSeries> {
    static final String LAST = "last";
    static volatile TestReceiver receiver;
    static volatile int expected;

    @Override
    public TimeSeries map(TimeSeries series) throws Exception {
      if (series.metricName().equals(LAST)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (receiver.acceptedSeries().size() < expected) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("earlier series were not sent by the buffer timer");
          }
          Thread.sleep(20); // polling a condition with a deadline
        }
      }
      return series;
    }
  }

  private static DecodedSeries expected(TimeSeries s) {
    return new DecodedSeries(
        List.of(new DecodedLabel("__name__", s.metricName()),
            new DecodedLabel("service_name", s.labelValue(0)),
            new DecodedLabel("span_name", s.labelValue(1))),
        List.of(new DecodedSample(Double.doubleToRawLongBits(s.sampleValue(0)), 1_000),
            new DecodedSample(Double.doubleToRawLongBits(s.sampleValue(1)), 2_000)));
  }

  private static long sum(Collection<Metric> metrics) {
    return metrics.stream().mapToLong(m -> ((Counter) m).getCount()).sum();
  }
}
