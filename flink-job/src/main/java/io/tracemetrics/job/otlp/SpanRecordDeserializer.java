package io.tracemetrics.job.otlp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads OTLP records from Kafka. A record that cannot be decoded is counted, copied to the dead-letter
 * topic when there is one, and skipped: the job never fails on input.
 *
 * <p>The region of a record's spans is its {@code region} header, else this source's region name, else
 * the resource's {@code cloud.region} attribute.
 *
 * <p>A record is passed on whole or not at all: its spans are held until its decoding ended, so a failure
 * half-way emits none of them. Whatever one record causes in the decoder, a {@link StackOverflowError}
 * included, is caught here and counted as {@link TracesDecoder.Rejection#DECODER_FAILURE}; other
 * {@link VirtualMachineError}s (out of memory, an internal JVM error) say nothing about the record and
 * leave the JVM in no state to go on, so they fail the task as Flink intends.
 */
public final class SpanRecordDeserializer implements KafkaRecordDeserializationSchema<SpanEvent> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SpanRecordDeserializer.class);
  static final String REGION_HEADER = "region";
  /** Longest region header taken: a label value, not a payload. */
  static final int MAX_REGION_BYTES = 256;
  private static final long LOG_INTERVAL_MILLIS = 10_000;

  private final String sourceRegion;
  private final RecordDecoder decoder;
  private final String bootstrapServers;
  private final String deadLetterTopic;
  private final Map<String, String> clientProperties;
  private transient DeadLetters deadLetters;
  private transient Counter spansIn;
  private transient Map<TracesDecoder.Rejection, Counter> rejected;
  private transient RecordOutcome outcome;
  private transient long lastRejectionLog;
  private transient long lastFailureLog;

  /**
   * @param sourceRegion the region of this source, or null when it has none
   * @param decoder what to take from each span
   */
  public SpanRecordDeserializer(String sourceRegion, TracesDecoder decoder) {
    this(sourceRegion, decoder, "", "", Map.of());
  }

  /**
   * @param bootstrapServers the Kafka cluster of the dead-letter topic
   * @param deadLetterTopic where undecodable records are copied; empty: nowhere
   * @param clientProperties Kafka client properties of the dead-letter producer (SASL, TLS)
   */
  public SpanRecordDeserializer(String sourceRegion, TracesDecoder decoder, String bootstrapServers,
      String deadLetterTopic, Map<String, String> clientProperties) {
    this(sourceRegion, (RecordDecoder) decoder::decode, bootstrapServers, deadLetterTopic, clientProperties);
  }

  /** With any decoder: tests give one that fails. */
  SpanRecordDeserializer(String sourceRegion, RecordDecoder decoder, String bootstrapServers,
      String deadLetterTopic, Map<String, String> clientProperties) {
    this.sourceRegion = sourceRegion == null || sourceRegion.isEmpty() ? null : sourceRegion;
    this.decoder = decoder;
    this.bootstrapServers = bootstrapServers;
    this.deadLetterTopic = deadLetterTopic;
    this.clientProperties = new TreeMap<>(clientProperties);
  }

  /**
   * Waits until every dead-letter copy this JVM's sources sent is acknowledged by Kafka, and fails if
   * any copy failed since the last call. Called before each checkpoint barrier leaves a source's task
   * ({@code SpanPreAggregator}, chained to the source, does): the copies of every record before the
   * barrier are then in Kafka before the checkpoint that commits those records' offsets can complete.
   * A failure fails the task, so the records are read and copied again after the restore.
   *
   * @throws IOException when a copy failed; the checkpoint must not complete
   */
  public static void awaitDeadLetters() throws IOException {
    DeadLetters.flushAll();
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    MetricGroup group = context.getMetricGroup().addGroup("spans");
    spansIn = group.counter("in");
    rejected = new EnumMap<>(TracesDecoder.Rejection.class);
    for (TracesDecoder.Rejection reason : TracesDecoder.Rejection.values()) {
      rejected.put(reason, group.addGroup("rejected", reason.metricName()).counter("count"));
    }
    outcome = new RecordOutcome();
    if (!deadLetterTopic.isEmpty()) {
      deadLetters = DeadLetters.open(bootstrapServers, clientProperties, deadLetterTopic,
          context.getUserCodeClassLoader(), group.counter("deadLetterFailed"));
    }
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SpanEvent> out) {
    outcome.clear();
    try {
      String region = regionOf(record);
      if (outcome.refusal == null) {
        decoder.decode(record.value(), region != null ? region : sourceRegion, outcome);
      }
    } catch (StackOverflowError | RuntimeException e) {
      decoderFailed(record, e);
      return;
    }
    // Outside the try: an exception from the operators chained downstream is theirs, not the record's.
    if (outcome.refusal != null) {
      reject(record, outcome.refusal, 1, outcome.refusalDetail);
      return;
    }
    for (SpanEvent span : outcome.spans) {
      spansIn.inc();
      out.collect(span);
    }
    for (int i = 0; i < outcome.spanRejections.length; i++) {
      if (outcome.spanRejections[i] > 0) {
        reject(record, TracesDecoder.Rejection.values()[i], outcome.spanRejections[i], null);
      }
    }
  }

  /**
   * The record's region header, or null when it has none (or an empty one) or a bad one. A header that is too long or
   * not UTF-8 refuses the record rather than being ignored: its spans would otherwise be counted under
   * another region's series, a silent miscount; refused, they wait in the dead-letter topic.
   */
  private String regionOf(ConsumerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(REGION_HEADER);
    if (header == null || header.value() == null || header.value().length == 0) {
      return null;
    }
    byte[] value = header.value();
    if (value.length > MAX_REGION_BYTES) {
      outcome.rejectedRecord(TracesDecoder.Rejection.INVALID_REGION_HEADER,
          "region header of " + value.length + " bytes, more than " + MAX_REGION_BYTES);
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
    } catch (CharacterCodingException e) {
      outcome.rejectedRecord(TracesDecoder.Rejection.INVALID_REGION_HEADER, "region header is not UTF-8");
      return null;
    }
  }

  private void decoderFailed(ConsumerRecord<byte[], byte[]> record, Throwable e) {
    rejected.get(TracesDecoder.Rejection.DECODER_FAILURE).inc();
    if (deadLetters != null) {
      deadLetters.copy(record, TracesDecoder.Rejection.DECODER_FAILURE, e.getClass().getName());
    }
    long now = System.currentTimeMillis();
    if (now - lastFailureLog >= LOG_INTERVAL_MILLIS) {
      lastFailureLog = now;
      LOG.error("The decoder failed on {}-{} offset {}; the record is skipped and counted in"
              + " spans.rejected.decoder_failure, further failures are logged at most every {} s",
          record.topic(), record.partition(), record.offset(), LOG_INTERVAL_MILLIS / 1000, e);
    }
  }

  private void reject(ConsumerRecord<byte[], byte[]> record, TracesDecoder.Rejection reason, int count,
      String detail) {
    rejected.get(reason).inc(count);
    if (deadLetters != null && reason.wholeRecord()) {
      deadLetters.copy(record, reason, detail);
    }
    long now = System.currentTimeMillis();
    if (now - lastRejectionLog >= LOG_INTERVAL_MILLIS) {
      lastRejectionLog = now;
      LOG.warn(
          "Skipped {} span(s) or record(s) ({}{}) at {}-{} offset {}; further skips are counted in"
              + " spans.rejected and logged at most every {} s",
          count, reason, detail == null ? "" : ": " + detail, record.topic(), record.partition(), record.offset(),
          LOG_INTERVAL_MILLIS / 1000);
    }
  }

  /** What turns a record value into spans and rejections: {@link TracesDecoder#decode}. */
  @FunctionalInterface
  interface RecordDecoder extends java.io.Serializable {
    void decode(byte[] value, String region, TracesDecoder.Sink out);
  }

  @Override
  public TypeInformation<SpanEvent> getProducedType() {
    return SpanEventSerializer.TYPE;
  }

  /** One record's spans and rejections, held until its decoding ended; reused from record to record. */
  private static final class RecordOutcome implements TracesDecoder.Sink {
    private final List<SpanEvent> spans = new ArrayList<>();
    private final int[] spanRejections = new int[TracesDecoder.Rejection.values().length];
    private TracesDecoder.Rejection refusal;
    private String refusalDetail;

    void clear() {
      spans.clear();
      java.util.Arrays.fill(spanRejections, 0);
      refusal = null;
      refusalDetail = null;
    }

    @Override
    public void accept(SpanEvent span) {
      spans.add(span);
    }

    @Override
    public void rejected(TracesDecoder.Rejection reason, int count) {
      spanRejections[reason.ordinal()] += count;
    }

    @Override
    public void rejectedRecord(TracesDecoder.Rejection reason, String detail) {
      if (refusal == null) {
        refusal = reason;
        refusalDetail = detail;
      }
    }
  }
}
