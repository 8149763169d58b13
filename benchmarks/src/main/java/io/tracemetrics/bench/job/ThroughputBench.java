package io.tracemetrics.bench.job;

import io.tracemetrics.bench.PhaseResult;
import io.tracemetrics.bench.Cpu;
import io.tracemetrics.job.JobOptions;
import io.tracemetrics.job.RedMetricsJob;
import io.tracemetrics.job.otlp.SpanEvent;
import io.tracemetrics.job.otlp.SpanRecordDeserializer;
import io.tracemetrics.job.otlp.TracesDecoder;
import io.tracemetrics.bench.job.SpanCorpus.SeriesId;
import io.tracemetrics.testsupport.process.WorkDir;
import io.tracemetrics.testsupport.store.RawSample;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput at parallelism 1 over a pre-filled topic, two phases in one run: the ceiling (the job's Kafka
 * source and deserializer, spans discarded) and the whole job into VictoriaMetrics. Both read the topic
 * from the start, bounded at its end, so a phase ends when its job finishes; for the whole job that is
 * after the last window's samples were flushed to the store, whose totals are then checked series by
 * series. A phase is timed from its first record to the job's end (teardown included, start-up not).
 */
final class ThroughputBench {
  private static final Logger LOG = LoggerFactory.getLogger(ThroughputBench.class);
  static final String TOPIC = "bench_spans";
  static final String CALLS = "llm_traces_span_metrics_calls_total";
  static final String CEILING = "ceiling: read + decode + discard";
  static final String JOB = "whole job: Kafka → VictoriaMetrics";

  private final JobBenchOptions options;
  private final String bootstrap;
  private final VictoriaMetrics store;

  ThroughputBench(JobBenchOptions options, String bootstrap, VictoriaMetrics store) {
    this.options = options;
    this.bootstrap = bootstrap;
    this.store = store;
  }

  /**
   * An unreported warm-up, then rounds of ceiling and whole job in turn: on a shared machine one round
   * says little, the median of a few says more.
   */
  List<PhaseResult> run() throws Exception {
    List<PhaseResult> results = new ArrayList<>();
    SpanCorpus corpus = new SpanCorpus(options, System.currentTimeMillis());
    prefill(corpus);
    // Loads Flink's classes and lets the JIT compile the decoder and the operators, which the first round
    // would otherwise pay for alone.
    ceiling("warm-up");
    wholeJob("warm-up-job", corpus.expected());
    for (int round = 1; round <= options.rounds(); round++) {
      results.add(ceiling("ceiling-" + round));
      results.add(wholeJob("job-" + round, corpus.expected()));
    }
    return results;
  }

  private void prefill(SpanCorpus corpus) {
    Properties producer = new Properties();
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producer.put(ProducerConfig.ACKS_CONFIG, "1");
    producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"); // as the gateway writes
    producer.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    producer.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> out =
        new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer())) {
      int[] next = {0};
      corpus.generate(value -> out.send(new ProducerRecord<>(TOPIC, next[0]++ % options.partitions(), null, value)));
      out.flush();
    }
    LOG.info("pre-filled {} with {} records, {} spans, {} MB in {} s", TOPIC, corpus.records(), options.spans(),
        corpus.bytes() / 1_000_000, (System.nanoTime() - start) / 1_000_000_000);
  }

  private PhaseResult ceiling(String groupId) throws Exception {
    StreamExecutionEnvironment env = environment();
    env.fromSource(source(groupId), WatermarkStrategy.noWatermarks(), "spans")
        .sinkTo(new CountingSink<>())
        .name("discard");
    CountingSink.COUNT.set(0);
    PhaseResult result = measure(CEILING + " (" + groupId + ")", env, options.spans());
    if (CountingSink.COUNT.get() != options.spans()) {
      throw new AssertionError("the ceiling job saw " + CountingSink.COUNT.get() + " spans, not " + options.spans());
    }
    return result;
  }

  private PhaseResult wholeJob(String groupId, Map<SeriesId, Long> expected) throws Exception {
    JobOptions jobOptions = JobOptions.of(new Configuration())
        .with(JobOptions.KAFKA_BOOTSTRAP_SERVERS, bootstrap)
        .with(JobOptions.REMOTE_WRITE_URL, store.remoteWriteUrl())
        // Short expiry: after the bounded input ends, every series emits windows until it expires.
        .with(JobOptions.SERIES_EXPIRY, Duration.ofMinutes(1));
    StreamExecutionEnvironment env = environment();
    // Every round writes the same samples again (same series, timestamps and values), so the last value of
    // each series is still its total.
    new RedMetricsJob(jobOptions, source(groupId), RedMetricsJob.remoteWriteSink(jobOptions)).build(env);
    PhaseResult result = measure(JOB + " (" + groupId + ")", env, options.spans());
    checkTotals(expected);
    return result;
  }

  private PhaseResult measure(String name, StreamExecutionEnvironment env, long spans) throws Exception {
    LOG.info("phase '{}' starts", name);
    FirstRecordClock.reset();
    long submitted = System.nanoTime();
    env.execute(name);
    long end = System.nanoTime();
    double cpu = Cpu.jvmSeconds() - FirstRecordClock.firstCpuSeconds();
    double wall = (end - FirstRecordClock.firstNanos()) / 1e9;
    LOG.info("phase '{}': {} s from submission to the first record (not counted)", name,
        String.format("%.1f", (FirstRecordClock.firstNanos() - submitted) / 1e9));
    PhaseResult result = PhaseResult.of(name, spans, wall, cpu);
    LOG.info("phase '{}': {} spans in {} s, {} spans/s, {} spans/s per core", name, spans,
        String.format("%.1f", wall), Math.round(result.spansPerSecond()), Math.round(result.spansPerCoreSecond()));
    return result;
  }

  /**
   * Every series' counted calls must equal the spans generated for it; no other series. Counted as
   * {@code increase()} does: a series that expired (no span for {@code series.expiry}) and came back
   * starts again from zero, and a drop in value is such a restart.
   */
  private void checkTotals(Map<SeriesId, Long> expected) {
    store.forceFlush();
    Map<SeriesId, Long> stored = new HashMap<>();
    Map<SeriesId, List<RawSample>> samples = new HashMap<>();
    store.query().rawSeries(CALLS).forEach((labels, values) -> {
      stored.put(SeriesId.of(labels), counted(values));
      samples.put(SeriesId.of(labels), values);
    });
    if (!stored.equals(expected)) {
      Map<SeriesId, String> diff = new HashMap<>();
      expected.forEach((id, n) -> {
        if (!n.equals(stored.get(id))) {
          diff.put(id, "expected " + n + ", stored " + samples.get(id));
        }
      });
      long unexpected = stored.keySet().stream().filter(id -> !expected.containsKey(id)).count();
      throw new AssertionError("stored totals differ in " + diff.size() + " series (and " + unexpected
          + " unexpected series), e.g. " + diff.entrySet().stream().limit(3).toList());
    }
    long total = stored.values().stream().mapToLong(Long::longValue).sum();
    LOG.info("store holds exactly the expected totals: {} series, {} spans", stored.size(), total);
  }

  static long counted(List<RawSample> samples) {
    long counted = 0;
    double previous = 0;
    for (RawSample sample : samples) {
      if (Double.isNaN(sample.value())) {
        continue; // a stale marker: the series expired; its return starts from a 0 sample
      }
      counted += (long) (sample.value() >= previous ? sample.value() - previous : sample.value());
      previous = sample.value();
    }
    return counted;
  }

  private KafkaSource<SpanEvent> source(String groupId) {
    return KafkaSource.<SpanEvent>builder()
        .setBootstrapServers(bootstrap)
        .setTopics(TOPIC)
        .setGroupId(groupId)
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setBounded(OffsetsInitializer.latest())
        // The job's own deserializer and decoder, with the job's default settings.
        .setDeserializer(new FirstRecordClock(new SpanRecordDeserializer(null, TracesDecoder.plain())))
        .build();
  }

  /** Checkpoints in files, as on a cluster: the job manager's memory takes at most 5 MB of state. */
  private static final WorkDir CHECKPOINTS = WorkDir.create("job-bench-checkpoints");

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(CHECKPOINTS::close, "delete-checkpoints"));
  }

  static StreamExecutionEnvironment environment() {
    Configuration config = new Configuration();
    config.setString("execution.checkpointing.dir", CHECKPOINTS.path().toUri().toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, config);
    env.setParallelism(1);
    return env;
  }
}
