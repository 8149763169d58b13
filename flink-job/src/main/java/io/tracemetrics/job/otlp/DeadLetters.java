package io.tracemetrics.job.otlp;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies records the job cannot decode to a dead-letter topic, value unchanged, with headers saying where
 * they came from and why. At-least-once: a replay after a restore may copy a record again.
 *
 * <p>A Kafka deserializer has no close hook, so one producer per Kafka cluster is shared by every source
 * subtask of the job in this JVM and closed when Flink releases the job's classes.
 */
final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final String RELEASE_HOOK = "trace-metrics-dead-letter-producer";
  /** One producer per Kafka cluster and client properties: regions' sources may read different clusters. */
  private static final Map<String, KafkaProducer<byte[], byte[]>> SHARED = new HashMap<>();

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final Counter failed;

  private DeadLetters(KafkaProducer<byte[], byte[]> producer, String topic, Counter failed) {
    this.producer = producer;
    this.topic = topic;
    this.failed = failed;
  }

  static DeadLetters open(String bootstrapServers, Map<String, String> clientProperties, String topic,
      UserCodeClassLoader classLoader, Counter failed) {
    return new DeadLetters(sharedProducer(bootstrapServers, clientProperties, classLoader), topic, failed);
  }

  private static synchronized KafkaProducer<byte[], byte[]> sharedProducer(
      String bootstrapServers, Map<String, String> clientProperties, UserCodeClassLoader classLoader) {
    classLoader.registerReleaseHookIfAbsent(RELEASE_HOOK, DeadLetters::closeShared);
    return SHARED.computeIfAbsent(bootstrapServers + " " + clientProperties, key -> {
      Properties props = new Properties();
      props.putAll(clientProperties);
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      props.put(ProducerConfig.CLIENT_ID_CONFIG, "trace-metrics-dead-letters");
      return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    });
  }

  private static synchronized void closeShared() {
    SHARED.values().forEach(KafkaProducer::close);
    SHARED.clear();
  }

  void copy(ConsumerRecord<byte[], byte[]> record, TracesDecoder.Rejection reason) {
    ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topic, null, record.key(), record.value());
    copy.headers()
        .add("source.topic", utf8(record.topic()))
        .add("source.partition", utf8(Integer.toString(record.partition())))
        .add("source.offset", utf8(Long.toString(record.offset())))
        .add("reason", utf8(reason.name()));
    producer.send(copy, (metadata, error) -> {
      if (error != null) {
        failed.inc();
        LOG.warn("Could not copy {}-{}@{} to the dead-letter topic {}", record.topic(), record.partition(),
            record.offset(), topic, error);
      }
    });
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
