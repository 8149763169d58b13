package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.junit.PrometheusExtension;
import io.tracemetrics.testsupport.junit.VictoriaMetricsExtension;
import io.tracemetrics.testsupport.store.RawSample;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * VictoriaMetrics stops mid-stream for {@value #OUTAGE_SECONDS} s and starts again on the same port and
 * data directory while a job writes to it and to Prometheus: nothing is lost, nothing is reordered, and
 * the retries are counted.
 *
 * <p>During the outage: connection refused, backoff capped at {@code maxBackoff}, the endpoint's buffer
 * filling, backpressure on the job; after it, delivery. The store is stopped with SIGTERM, as an operator
 * would: a SIGKILL can lose the last
 * second of samples VictoriaMetrics had acknowledged but not yet written to disk, which is the
 * receiver's durability, not the sink's.
 */
class RemoteWriteReceiverRestartIT {
  private static final int OUTAGE_SECONDS = 30;
  private static final int SERIES = 4;
  private static final int RECORDS = 2_400;
  private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder()
          .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
          .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

  // Deduplication, as recommended: a request cut off by the stop may have been stored before its retry.
  @RegisterExtension
  static final VictoriaMetricsExtension VM = new VictoriaMetricsExtension(
      () -> VictoriaMetrics.builder().dedupMinScrapeInterval(Duration.ofMillis(1)));

  @RegisterExtension
  static final PrometheusExtension PROMETHEUS = new PrometheusExtension();

  @Test
  void receiverStoppedMidStreamLosesAndReordersNothingAndRetriesAreCounted() throws Exception {
    long base = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(500);
    RemoteWriteSink sink = RemoteWriteSink.builder()
        .endpoint(VM.store().remoteWriteUrl())
        .additionalEndpoint(PROMETHEUS.store().remoteWriteUrl())
        .maxBatchSamples(40).maxBufferTime(Duration.ofMillis(100))
        .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1))
        .build();
    env.fromSequence(0, RECORDS - 1).map(new PacedCounter(base))
        .keyBy(RemoteWriteSink.seriesKeySelector()).sinkTo(sink).name("remote-write");

    JobClient job = env.executeAsync("remote-write-receiver-restart");
    awaitSamplesOut(job.getJobID(), RECORDS / 10);
    VM.store().stop();
    long stoppedAtSamples = samplesOut(job.getJobID(), VM.store().port());
    Thread.sleep(Duration.ofSeconds(OUTAGE_SECONDS).toMillis()); // the outage itself
    VM.store().restart();
    job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
    VM.store().forceFlush();

    assertThat(stoppedAtSamples).as("stopped mid-stream").isLessThan(RECORDS);
    for (int s = 0; s < SERIES; s++) {
      String selector = "restart_counter_total{series=\"" + s + "\"}";
      List<RawSample> expected = expected(base, s);
      assertThat(VM.query().rawSamples(selector)).as("VictoriaMetrics " + selector)
          .containsExactlyElementsOf(expected);
      // Prometheus answers 400 to an out-of-order sample: all of them stored means none was reordered.
      assertThat(PROMETHEUS.query().rawSamples(selector)).as("Prometheus " + selector)
          .containsExactlyElementsOf(expected);
    }
    assertThat(counter(job.getJobID(), "retries", VM.store().port())).isPositive();
    assertThat(counter(job.getJobID(), "samplesDropped", 0)).isZero();
    assertThat(counter(job.getJobID(), "samplesOut", 0)).isEqualTo(2L * RECORDS);
  }

  private static List<RawSample> expected(long base, int series) {
    List<RawSample> samples = new ArrayList<>();
    for (int i = series; i < RECORDS; i += SERIES) {
      samples.add(new RawSample(PacedCounter.timestamp(base, i), PacedCounter.value(i)));
    }
    return samples;
  }

  private static void awaitSamplesOut(JobID job, long atLeast) throws InterruptedException {
    Await.until(() -> samplesOut(job, VM.store().port()) >= atLeast, Duration.ofSeconds(60), Duration.ofMillis(50),
        "the job to deliver at least " + atLeast + " samples");
  }

  private static long samplesOut(JobID job, int port) {
    return counter(job, "samplesOut", port);
  }

  /** Sum of the counter over endpoints, or only the endpoint on {@code port} when it is not 0. */
  private static long counter(JobID job, String name, int port) {
    Map<String, Metric> metrics = REPORTER.findMetrics(job, name);
    return metrics.entrySet().stream()
        .filter(e -> port == 0 || e.getKey().contains("127.0.0.1:" + port))
        .mapToLong(e -> ((Counter) e.getValue()).getCount()).sum();
  }

  /** Record i is sample i / SERIES of series i % SERIES: a counter, 100 ms apart, paced at ~4 ms. */
  static final class PacedCounter implements MapFunction<Long, TimeSeries> {
    private final long base;

    PacedCounter(long base) {
      this.base = base;
    }

    static long timestamp(long base, long i) {
      return base + (i / SERIES) * 100;
    }

    static double value(long i) {
      return i / SERIES;
    }

    @Override
    public TimeSeries map(Long i) throws Exception {
      Thread.sleep(4); // pacing: the stream must last longer than the wait before the outage
      return TimeSeries.builder("restart_counter_total").label("series", Long.toString(i % SERIES))
          .sample(value(i), timestamp(base, i)).build();
    }
  }
}
