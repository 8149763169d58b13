package io.tracemetrics.bench.job;

import io.tracemetrics.bench.Cpu;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracemetrics.job.JobOptions;
import io.tracemetrics.job.RedMetricsJob;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Freshness: live spans (ending now) at a modest rate through Kafka into the job with its defaults
 * (10 s windows, 2 s out-of-orderness); for every window end W after a warm-up (so the series already
 * exist in the store: VictoriaMetrics takes seconds to make a new series searchable), the time from W
 * until every series has its sample at W in VictoriaMetrics.
 */
final class FreshnessBench {
  private static final Logger LOG = LoggerFactory.getLogger(FreshnessBench.class);
  static final String TOPIC = "fresh_spans";
  private static final long TICK_MILLIS = 100;
  private static final int WARMUP_WINDOWS = 2;

  /** Milliseconds from each window's end until all its samples were queryable; job JVM CPU. */
  record Result(List<Long> latenciesMillis, double spansPerSecond, double cores) {}

  private final JobBenchOptions options;
  private final String bootstrap;
  private final VictoriaMetrics store;
  /** The producer thread's own: spans are generated on it alone. */
  private final SplittableRandom random = new SplittableRandom(11);
  private int nextSeries;
  private int nextPartition;

  FreshnessBench(JobBenchOptions options, String bootstrap, VictoriaMetrics store) {
    this.options = options;
    this.bootstrap = bootstrap;
    this.store = store;
  }

  Result run() throws Exception {
    JobOptions jobOptions = JobOptions.of(new Configuration())
        .with(JobOptions.KAFKA_BOOTSTRAP_SERVERS, bootstrap)
        .with(JobOptions.KAFKA_TOPIC, TOPIC)
        .with(JobOptions.KAFKA_GROUP_ID, "bench-freshness")
        .with(JobOptions.REMOTE_WRITE_URL, store.remoteWriteUrl());
    long windowMillis = jobOptions.get(JobOptions.WINDOW).toMillis();
    StreamExecutionEnvironment env = ThroughputBench.environment();
    RedMetricsJob.fromOptions(jobOptions).build(env);
    ScheduledExecutorService producerThread = Executors.newSingleThreadScheduledExecutor();
    AtomicLong sent = new AtomicLong();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producerThread.scheduleAtFixedRate(
          () -> sent.addAndGet(sendTick(producer)), 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
      JobClient job = env.executeAsync("freshness");
      try {
        WindowProbe probe = new WindowProbe(store.baseUrl(), ThroughputBench.CALLS + "{service_name=~\"fresh-.*\"}");
        long firstWindow = (System.currentTimeMillis() / windowMillis + 1 + WARMUP_WINDOWS) * windowMillis;
        long lastWindow = firstWindow + options.freshnessSeconds() * 1000L;
        waitUntil(firstWindow);
        double cpu0 = Cpu.jvmSeconds();
        long sent0 = sent.get();
        long wall0 = System.nanoTime();
        List<Long> latencies = new ArrayList<>();
        for (long w = firstWindow; w <= lastWindow; w += windowMillis) {
          latencies.add(latency(probe, w));
          LOG.info("window ending {}: all {} series queryable after {} ms", w, options.freshnessSeries(),
              latencies.get(latencies.size() - 1));
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        return new Result(latencies, (sent.get() - sent0) / wall, (Cpu.jvmSeconds() - cpu0) / wall);
      } finally {
        producerThread.shutdownNow();
        job.cancel().get(1, TimeUnit.MINUTES);
      }
    }
  }

  private long latency(WindowProbe probe, long windowEnd) throws Exception {
    waitUntil(windowEnd);
    long deadline = windowEnd + 60_000;
    while (probe.seriesAt(windowEnd) < options.freshnessSeries()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the window ending " + windowEnd + " was not queryable within 60 s");
      }
      Thread.sleep(20);
    }
    return System.currentTimeMillis() - windowEnd;
  }

  /** One tick's spans, ending within the last tick, each series in turn; one record per service. */
  private int sendTick(KafkaProducer<byte[], byte[]> producer) {
    int perTick = (int) (options.freshnessSpansPerSecond() * TICK_MILLIS / 1000);
    int services = Math.min(5, options.freshnessSeries());
    List<List<Span>> byService = new ArrayList<>();
    for (int s = 0; s < services; s++) {
      byService.add(new ArrayList<>());
    }
    long now = System.currentTimeMillis();
    for (int i = 0; i < perTick; i++) {
      int series = nextSeries++ % options.freshnessSeries();
      long end = (now - random.nextInt((int) TICK_MILLIS)) * 1_000_000L;
      byService.get(series % services).add(SpanShape.span(random, series, false, end, SpanShape.durationNanos(random)));
    }
    for (int s = 0; s < services; s++) {
      byte[] value = SpanShape.record("fresh-" + s, byService.get(s));
      producer.send(new ProducerRecord<>(TOPIC, nextPartition++ % options.partitions(), null, value));
    }
    return perTick;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties producer = new Properties();
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producer.put(ProducerConfig.ACKS_CONFIG, "all");
    producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    producer.put(ProducerConfig.LINGER_MS_CONFIG, 10); // the gateway's linger
    return new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static void waitUntil(long epochMillis) throws InterruptedException {
    long wait = epochMillis - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }
}
