package io.tracemetrics.job.otlp;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
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
 * Reads OTLP records from Kafka. A record that cannot be decoded is counted and skipped: the job never
 * fails on input.
 *
 * <p>The region of a record's spans is its {@code region} header, else this source's region name, else
 * the resource's {@code cloud.region} attribute.
 */
public final class SpanRecordDeserializer implements KafkaRecordDeserializationSchema<SpanEvent> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SpanRecordDeserializer.class);
  static final String REGION_HEADER = "region";
  private static final long LOG_INTERVAL_MILLIS = 10_000;

  private final String sourceRegion;
  private final TracesDecoder decoder;
  private final String bootstrapServers;
  private final String deadLetterTopic;
  private final Map<String, String> clientProperties;
  private transient DeadLetters deadLetters;
  private transient Counter spansIn;
  private transient Map<TracesDecoder.Rejection, Counter> rejected;
  private transient long lastRejectionLog;

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
    this.sourceRegion = sourceRegion == null || sourceRegion.isEmpty() ? null : sourceRegion;
    this.decoder = decoder;
    this.bootstrapServers = bootstrapServers;
    this.deadLetterTopic = deadLetterTopic;
    this.clientProperties = new TreeMap<>(clientProperties);
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    MetricGroup group = context.getMetricGroup().addGroup("spans");
    spansIn = group.counter("in");
    rejected = new EnumMap<>(TracesDecoder.Rejection.class);
    for (TracesDecoder.Rejection reason : TracesDecoder.Rejection.values()) {
      rejected.put(reason, group.addGroup("rejected", reason.name().toLowerCase()).counter("count"));
    }
    if (!deadLetterTopic.isEmpty()) {
      deadLetters = DeadLetters.open(bootstrapServers, clientProperties, deadLetterTopic, context.getUserCodeClassLoader(),
          group.counter("deadLetterFailed"));
    }
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SpanEvent> out) {
    if (record.value() == null) {
      reject(record, TracesDecoder.Rejection.UNDECODABLE, 1);
      return;
    }
    decoder.decode(
        record.value(),
        regionOf(record),
        new TracesDecoder.Sink() {
          @Override
          public void accept(SpanEvent span) {
            spansIn.inc();
            out.collect(span);
          }

          @Override
          public void rejected(TracesDecoder.Rejection reason, int count) {
            reject(record, reason, count);
          }
        });
  }

  private String regionOf(ConsumerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(REGION_HEADER);
    if (header != null && header.value() != null && header.value().length > 0) {
      return new String(header.value(), StandardCharsets.UTF_8);
    }
    return sourceRegion;
  }

  private void reject(ConsumerRecord<byte[], byte[]> record, TracesDecoder.Rejection reason, int count) {
    rejected.get(reason).inc(count);
    if (deadLetters != null && reason == TracesDecoder.Rejection.UNDECODABLE) {
      deadLetters.copy(record, reason);
    }
    long now = System.currentTimeMillis();
    if (now - lastRejectionLog >= LOG_INTERVAL_MILLIS) {
      lastRejectionLog = now;
      LOG.warn(
          "Skipped {} span(s) or record(s) ({}) at {}-{} offset {}; further skips are counted in"
              + " spans.rejected and logged at most every {} s",
          count, reason, record.topic(), record.partition(), record.offset(), LOG_INTERVAL_MILLIS / 1000);
    }
  }

  @Override
  public TypeInformation<SpanEvent> getProducedType() {
    return SpanEventSerializer.TYPE;
  }
}
