package io.tracemetrics.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.flink.FlinkRest;
import io.tracemetrics.testsupport.junit.KafkaBrokerExtension;
import io.tracemetrics.testsupport.junit.VictoriaMetricsExtension;
import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.RawSample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once, proven on the real thing: a KRaft broker, the job on a MiniCluster, VictoriaMetrics without
 * deduplication. After a task failure, and after a stop-with-savepoint and a restart from it, the totals in
 * the store equal the spans sent, no counter ever goes down, and every sample written twice (the replay
 * after a restore) was written with the same value.
 */
class JobRecoveryIT {
  private static final String[] SPAN_NAMES = {"GET /a", "POST /b"};
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @RegisterExtension
  @Order(1)
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @RegisterExtension
  @Order(2)
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension
  @Order(3)
  static final VictoriaMetricsExtension VM = new VictoriaMetricsExtension();

  @TempDir Path savepoints;

  private JobOptions options(String topic) {
    return JobOptions.fromArgs(
        new String[] {
          "--kafka.bootstrap-servers", KAFKA.bootstrapServers(),
          "--kafka.topic", topic,
          "--kafka.group-id", topic,
          "--remote-write.url", VM.store().remoteWriteUrl(),
          "--window.size", "1 s",
          "--watermark.out-of-orderness", "300 ms",
          "--watermark.idle-after", "1 s",
          "--checkpoint.interval", "1 s",
        },
        Map.of());
  }

  private static StreamExecutionEnvironment environment(Configuration extra) {
    Configuration config = new Configuration(extra);
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(2);
    return env;
  }

  @Test
  void aTaskFailureMidStreamLosesAndDoublesNothing() throws Exception {
    String topic = "recovery_failure";
    KAFKA.broker().createTopic(topic, 2);
    String[] services = {"fail-a", "fail-b", "fail-c"};
    JobOptions options = options(topic);
    StreamExecutionEnvironment env = environment(new Configuration());
    new RedMetricsJob(options, RedMetricsJob.kafkaSource(options),
        new FailOnceSink(RedMetricsJob.remoteWriteSink(options))).build(env);
    JobClient job = env.executeAsync("recovery: task failure");
    try (SpanRecords spans = new SpanRecords(KAFKA.bootstrapServers(), topic)) {
      spans.sendRounds(12, services, SPAN_NAMES, 150);
      awaitTotals(spans);
      awaitCompletedCheckpoint(job);

      int failuresBefore = FailOnceSink.FAILURES.get(); // the counter is shared with the other tests of this JVM
      FailOnceSink.ARMED.set(true);
      spans.sendRounds(12, services, SPAN_NAMES, 150);
      awaitTotals(spans);
      assertThat(FailOnceSink.FAILURES.get() - failuresBefore).as("the injected failure happened").isEqualTo(1);
      assertThat(restarts(job)).as("Flink restarted the job from a checkpoint").isPositive();
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
    assertStoredCountersAreConsistent("fail-.*");
  }

  @Test
  void stopWithSavepointAndRestartContinueTheSameCounters() throws Exception {
    String topic = "recovery_savepoint";
    KAFKA.broker().createTopic(topic, 2);
    String[] services = {"save-a", "save-b"};
    JobOptions options = options(topic);
    try (SpanRecords spans = new SpanRecords(KAFKA.bootstrapServers(), topic)) {
      StreamExecutionEnvironment first = environment(new Configuration());
      RedMetricsJob.fromOptions(options).build(first);
      JobClient job = first.executeAsync("recovery: before the savepoint");
      spans.sendRounds(10, services, SPAN_NAMES, 150);
      awaitTotals(spans);
      String savepoint =
          job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
              .get(60, TimeUnit.SECONDS);

      // Spans keep arriving while the job is down; the restarted job reads them from the saved offsets.
      spans.sendRounds(10, services, SPAN_NAMES, 150);
      Configuration restore = new Configuration();
      restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
      StreamExecutionEnvironment second = environment(restore);
      RedMetricsJob.fromOptions(options).build(second);
      JobClient restarted = second.executeAsync("recovery: after the savepoint");
      try {
        awaitTotals(spans);
      } finally {
        restarted.cancel().get(30, TimeUnit.SECONDS);
      }
    }
    assertStoredCountersAreConsistent("save-.*");
  }

  private static void awaitTotals(SpanRecords spans) {
    PromQuery query = VM.query();
    spans.expected.forEach((series, count) -> {
      String[] parts = series.split("\\|");
      query.awaitValue(
          "llm_traces_span_metrics_calls_total{service_name=\"" + parts[0] + "\",span_name=\"" + parts[1]
              + "\",status_code=\"" + parts[2] + "\"}",
          count, PATIENCE);
    });
  }

  /** Values never go down; a timestamp written twice (a replay) carries the same value both times. */
  private static void assertStoredCountersAreConsistent(String services) {
    Map<Map<String, String>, List<RawSample>> stored =
        VM.query().rawSeries("{__name__=~\"llm_traces_span_metrics_.*\",service_name=~\"" + services + "\"}");
    assertThat(stored).isNotEmpty();
    stored.forEach((labels, samples) -> {
      for (int i = 1; i < samples.size(); i++) {
        RawSample before = samples.get(i - 1);
        RawSample sample = samples.get(i);
        assertThat(sample.value()).as("%s at %d", labels, sample.timestampMillis()).isGreaterThanOrEqualTo(before.value());
        if (sample.timestampMillis() == before.timestampMillis()) {
          assertThat(sample.value()).as("replayed %s at %d", labels, sample.timestampMillis()).isEqualTo(before.value());
        }
      }
    });
  }

  private static void awaitCompletedCheckpoint(JobClient job) throws Exception {
    Await.until(() -> completedCheckpoints(job) >= 1, PATIENCE, "a completed checkpoint");
  }

  private static long completedCheckpoints(JobClient job) {
    return rest().checkpoints(job.getJobID()).completed();
  }

  private static long restarts(JobClient job) {
    return rest().checkpoints(job.getJobID()).restored();
  }

  private static FlinkRest rest() {
    Configuration client = FLINK.getClientConfiguration();
    return new FlinkRest("http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT));
  }
}
