package io.tracemetrics.job;

import io.tracemetrics.job.otlp.SpanEvent;
import io.tracemetrics.job.otlp.SpanRecordDeserializer;
import io.tracemetrics.job.red.CardinalityGuard;
import io.tracemetrics.job.red.RedAggregator;
import io.tracemetrics.job.red.ServiceSpan;
import io.tracemetrics.job.red.SpanPreAggregator;
import io.tracemetrics.job.red.WindowCounts;
import io.tracemetrics.job.red.WindowCountsSerializer;
import io.tracemetrics.job.time.SpanWatermarks;
import io.tracemetrics.sink.RemoteWriteSink;
import io.tracemetrics.sink.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job: OTLP spans from Kafka → event-time watermarks from span end times → counts per series and
 * window, summed in the source's chain → keyed by service and span name → cumulative RED series per
 * window → Prometheus Remote-Write.
 *
 * <p>The source and the sink are arguments, so tests can swap them; {@link #main} wires Kafka and
 * Remote-Write from {@link JobOptions}. Every stateful operator has a fixed uid, so savepoints survive
 * upgrades.
 */
public final class RedMetricsJob {
  private static final Logger LOG = LoggerFactory.getLogger(RedMetricsJob.class);
  public static final String JOB_NAME = "trace-metrics: RED metrics from spans";

  private final JobOptions options;
  private final List<NamedSource> sources;
  private final Sink<TimeSeries> sink;

  /** A source and the uid that ties its state (Kafka offsets) to it across upgrades. */
  public record NamedSource(String uid, Source<SpanEvent, ?, ?> source) {}

  public RedMetricsJob(JobOptions options, Source<SpanEvent, ?, ?> source, Sink<TimeSeries> sink) {
    this(options, List.of(new NamedSource(DEFAULT_SOURCE_UID, source)), sink);
  }

  public RedMetricsJob(JobOptions options, List<NamedSource> sources, Sink<TimeSeries> sink) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("the job needs at least one source");
    }
    this.options = options;
    this.sources = List.copyOf(sources);
    this.sink = sink;
  }

  static final String DEFAULT_SOURCE_UID = "spans-source";

  /** The job as configured: Kafka in (one source, or one per region), Remote-Write out. */
  public static RedMetricsJob fromOptions(JobOptions options) {
    List<NamedSource> sources = new ArrayList<>();
    if (options.get(JobOptions.KAFKA_SOURCES).isEmpty()) {
      sources.add(new NamedSource(DEFAULT_SOURCE_UID, kafkaSource(options, options.sources().get(0))));
    } else {
      for (JobOptions.Source source : options.sources()) {
        sources.add(new NamedSource(DEFAULT_SOURCE_UID + "-" + source.region(), kafkaSource(options, source)));
      }
    }
    return new RedMetricsJob(options, sources, remoteWriteSink(options));
  }

  public static void main(String[] args) throws Exception {
    JobOptions options = JobOptions.fromArgs(args, System.getenv());
    LOG.info("Starting {} with options:{}", JOB_NAME, options);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    fromOptions(options).build(env);
    env.execute(JOB_NAME);
  }

  /** Adds the pipeline to the environment and turns exactly-once checkpointing on. */
  public void build(StreamExecutionEnvironment env) {
    env.enableCheckpointing(options.get(JobOptions.CHECKPOINT_INTERVAL).toMillis(), CheckpointingMode.EXACTLY_ONCE);
    WatermarkStrategy<SpanEvent> watermarks =
        SpanWatermarks.strategy(
            options.get(JobOptions.OUT_OF_ORDERNESS),
            options.get(JobOptions.IDLE_AFTER),
            options.get(JobOptions.MAX_FUTURE_SKEW));
    List<DataStream<SpanEvent>> spans = new ArrayList<>();
    for (NamedSource named : sources) {
      spans.add(env.fromSource(named.source(), watermarks, named.uid()).uid(named.uid()));
    }
    series(options, spans)
        // Chained to the aggregator: a series is made by one subtask, so it is written by one writer.
        .sinkTo(sink)
        .uid("remote-write")
        .name("remote write");
  }

  /**
   * The job from spans with timestamps and watermarks to series: counts per series and window summed in
   * each source's chain, the series limit keyed by service (unless off), the aggregator keyed by service
   * and span name.
   *
   * @param spans one stream per source, each with a uid
   */
  public static DataStream<TimeSeries> series(JobOptions options, List<DataStream<SpanEvent>> spans) {
    Duration window = options.get(JobOptions.WINDOW);
    DataStream<WindowCounts> counts = null;
    for (DataStream<SpanEvent> stream : spans) {
      DataStream<WindowCounts> summed = stream
          .transform("counts per series and window", WindowCountsSerializer.TYPE,
              new SpanPreAggregator(window, options.latencyBuckets(), SpanPreAggregator.DEFAULT_MAX_BUFFERED))
          .uid(stream.getTransformation().getUid() + "-counts");
      counts = counts == null ? summed : counts.union(summed);
    }
    int maxSeries = options.get(JobOptions.MAX_SERIES_PER_SERVICE);
    if (maxSeries > 0) {
      counts = counts
          .keyBy(WindowCounts::service, Types.STRING)
          .process(new CardinalityGuard(maxSeries, options.get(JobOptions.SERIES_EXPIRY)), WindowCountsSerializer.TYPE)
          .uid("series-limit")
          .name("series limit per service");
    }
    // Exactly-once output when the job checkpoints: windows are written once a checkpoint has them.
    boolean checkpointing = spans.get(0).getExecutionEnvironment().getCheckpointConfig().isCheckpointingEnabled();
    return counts
        .keyBy(ServiceSpan.selector())
        .transform("RED per series", TypeInformation.of(TimeSeries.class),
            new RedAggregator(
                window,
                options.get(JobOptions.SERIES_EXPIRY),
                options.get(JobOptions.BACKFILL_HORIZON),
                checkpointing,
                options.latencyBuckets(),
                options.metricNames(),
                options.dimensions()))
        .uid("red-series")
        .name("RED per series");
  }

  /** The (first) Kafka source the options describe. */
  public static KafkaSource<SpanEvent> kafkaSource(JobOptions options) {
    return kafkaSource(options, options.sources().get(0));
  }

  static KafkaSource<SpanEvent> kafkaSource(JobOptions options, JobOptions.Source source) {
    Map<String, String> clientProperties = options.kafkaClientProperties();
    KafkaSourceBuilder<SpanEvent> builder = KafkaSource.<SpanEvent>builder()
        .setBootstrapServers(source.bootstrapServers())
        .setTopics(source.topic())
        .setGroupId(options.get(JobOptions.KAFKA_GROUP_ID))
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new SpanRecordDeserializer(source.region(), options.decoder(), source.bootstrapServers(),
            options.get(JobOptions.DEAD_LETTER_TOPIC), clientProperties))
        .setProperty("partition.discovery.interval.ms", "30000");
    clientProperties.forEach(builder::setProperty);
    return builder.build();
  }

  /** The remote-write sink the options describe. */
  public static RemoteWriteSink remoteWriteSink(JobOptions options) {
    List<String> urls = options.remoteWriteUrls();
    RemoteWriteSink.Builder builder =
        RemoteWriteSink.builder()
            .endpoint(urls.get(0))
            .maxBufferTime(options.get(JobOptions.REMOTE_WRITE_MAX_BUFFER_TIME));
    urls.subList(1, urls.size()).forEach(builder::additionalEndpoint);
    if (!options.get(JobOptions.REMOTE_WRITE_BEARER_TOKEN).isEmpty()) {
      builder.bearerToken(options.get(JobOptions.REMOTE_WRITE_BEARER_TOKEN));
    }
    if (!options.get(JobOptions.REMOTE_WRITE_USERNAME).isEmpty()) {
      builder.basicAuth(options.get(JobOptions.REMOTE_WRITE_USERNAME), options.get(JobOptions.REMOTE_WRITE_PASSWORD));
    }
    return builder.build();
  }
}
