package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.junit.PrometheusExtension;
import io.tracemetrics.testsupport.store.Prometheus;
import io.tracemetrics.testsupport.store.RawSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
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
 * Prometheus 2.42 without an out-of-order window (its own default) refuses a whole remote-write request with 400 at the first
 * sample older than one it has. One such sample among many good series: the sink splits the batch, every
 * good series is stored, the refused sample alone is dropped and counted. And an endpoint Prometheus
 * answers 404 is misconfiguration: the job fails, even with {@code onRejected(DROP)}.
 */
class SinkRejectedSeriesIT {
  private static final int GOOD_SERIES = 50;
  private static final int BAD_POSITION = 17;
  private static final String METRIC = "rejected_it_calls_total";
  private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder()
          .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
          .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

  @RegisterExtension
  static final PrometheusExtension PROMETHEUS =
      new PrometheusExtension(() -> Prometheus.builder().outOfOrderTimeWindow(Duration.ZERO));

  @Test
  void sampleOlderThanTheStoredOneIsDroppedAloneAndEveryGoodSeriesIsStored() throws Exception {
    long base = System.currentTimeMillis() - Duration.ofMinutes(5).toMillis();
    long storedLater = base + 60_000;
    TimeSeries seed = series("bad", 1, storedLater);
    run(List.of(seed), "seed the bad series with a later sample");

    List<TimeSeries> batch = new ArrayList<>();
    for (int i = 0; i < GOOD_SERIES; i++) {
      if (i == BAD_POSITION) {
        batch.add(series("bad", 2, base)); // older than the stored sample: out of order
      }
      batch.add(series("good_" + i, i, base));
    }
    JobID job = run(batch, "one refused series among many");

    Map<Map<String, String>, List<RawSample>> expected = new LinkedHashMap<>();
    expected.put(labels("bad"), List.of(new RawSample(storedLater, 1)));
    for (int i = 0; i < GOOD_SERIES; i++) {
      expected.put(labels("good_" + i), List.of(new RawSample(base, i)));
    }
    assertThat(awaitSeries(expected.size())).isEqualTo(expected);
    long splitRequests = counter(job, "splitRequests", key -> true);
    // 51 series, 1 refused: at most 2·1·⌈log2 51⌉ = 12 requests after the first.
    assertThat(splitRequests).isPositive().isLessThanOrEqualTo(12);
    assertThat(counter(job, "requestsOut", key -> true)).isEqualTo(1 + splitRequests);
    assertThat(counter(job, "samplesDropped", key -> key.contains("out_of_order"))).isEqualTo(1);
    assertThat(counter(job, "samplesDropped", key -> !key.contains("out_of_order"))).isZero();
    assertThat(counter(job, "samplesOut", key -> true)).isEqualTo(GOOD_SERIES);
  }

  @Test
  void endpointAnsweringNotFoundFailsTheJobEvenWhenRejectionsAreDropped() throws Exception {
    String wrongPath = PROMETHEUS.store().baseUrl() + "/api/v1/no-such-write";
    RemoteWriteSink sink = RemoteWriteSink.builder().endpoint(wrongPath)
        .onRejected(FailurePolicy.DROP).onRetriesExhausted(FailurePolicy.DROP)
        .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50))
        .build();
    StreamExecutionEnvironment env = environment();
    env.fromData(series("misconfigured", 1, System.currentTimeMillis())).sinkTo(sink);

    JobClient job = env.executeAsync("misconfigured endpoint");

    assertThatThrownBy(() -> job.getJobExecutionResult().get(2, TimeUnit.MINUTES))
        .rootCause().isInstanceOf(RemoteWriteException.class)
        .hasMessageContaining(wrongPath).hasMessageContaining("HTTP 404").hasMessageContaining("4 times");
    assertThat(counter(job.getJobID(), "misconfiguredResponses", key -> key.contains("404")))
        .isEqualTo(4);
    assertThat(counter(job.getJobID(), "samplesDropped", key -> true)).isZero();
  }

  private static JobID run(List<TimeSeries> series, String name) throws Exception {
    StreamExecutionEnvironment env = environment();
    // One batch for everything: no size limit reached, and the end of input flushes it.
    RemoteWriteSink sink = RemoteWriteSink.builder().endpoint(PROMETHEUS.store().remoteWriteUrl())
        .maxBufferTime(Duration.ofMinutes(10)).build();
    env.fromData(series).keyBy(RemoteWriteSink.seriesKeySelector()).sinkTo(sink).name("remote-write");
    return env.execute(name).getJobID();
  }

  private static StreamExecutionEnvironment environment() {
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1); // one writer: the batch keeps the order written
    return env;
  }

  private static TimeSeries series(String name, double value, long timestamp) {
    return TimeSeries.builder(METRIC).label("series", name).sample(value, timestamp).build();
  }

  private static Map<String, String> labels(String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("__name__", METRIC);
    labels.put("series", name);
    return labels;
  }

  private static Map<Map<String, String>, List<RawSample>> awaitSeries(int count) throws InterruptedException {
    String selector = "{__name__=\"" + METRIC + "\"}";
    return Await.poll(() -> PROMETHEUS.query().rawSeries(selector), stored -> stored.size() >= count,
        Duration.ofSeconds(20), Duration.ofMillis(200));
  }

  /** Sum of the job's counters named {@code name} whose identifier {@code key} accepts. */
  private static long counter(JobID job, String name, Predicate<String> key) {
    Map<String, Metric> metrics = REPORTER.findMetrics(job, name);
    return metrics.entrySet().stream().filter(e -> key.test(e.getKey()))
        .mapToLong(e -> ((Counter) e.getValue()).getCount()).sum();
  }
}
