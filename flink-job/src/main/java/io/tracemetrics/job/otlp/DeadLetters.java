package io.tracemetrics.job.otlp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies records the job refuses to a dead-letter topic, value unchanged, with headers saying where they
 * came from and why. At-least-once: {@link #flushAll} runs before every checkpoint barrier leaves a
 * source's task and fails it if a copy failed, so no checkpoint completes that commits the offset of a
 * record whose copy is not in Kafka; a replay after a restore may copy a record again.
 *
 * <p>A Kafka deserializer has no close hook, so one producer per Kafka cluster is shared by every source
 * subtask of the job in this JVM and closed when Flink releases the job's classes. Failures are tracked
 * for all of them together: whichever source task flushes next fails, and with it the checkpoint, which
 * is the one every source takes part in.
 */
final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final String RELEASE_HOOK = "trace-metrics-dead-letter-producer";
  /** Room left for headers and framing below the producer's max.request.size. */
  private static final int COPY_OVERHEAD_BYTES = 64 * 1024;
  private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
  /** One producer per Kafka cluster and client properties: regions' sources may read different clusters. */
  private static final Map<String, KafkaProducer<byte[], byte[]>> SHARED = new HashMap<>();
  /** Copies that failed since the last {@link #flushAll}, over every producer. */
  private static final AtomicLong FAILED_SINCE_FLUSH = new AtomicLong();
  /**
   * Copies the dead-letter topic refused as too large (its max.message.bytes may be below the source
   * topic's): sent again without the value by the next {@link #flushAll}, from the task's thread, since a
   * send from the producer's callback could wait for buffer memory only that thread frees.
   */
  private static final Queue<Retry> TOO_LARGE = new ConcurrentLinkedQueue<>();

  private record Retry(DeadLetters to, ConsumerRecord<byte[], byte[]> record, TracesDecoder.Rejection reason,
      String detail) {}

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final Counter failed;
  private final int maxValueBytes;

  private DeadLetters(KafkaProducer<byte[], byte[]> producer, String topic, Counter failed, int maxValueBytes) {
    this.producer = producer;
    this.topic = topic;
    this.failed = failed;
    this.maxValueBytes = maxValueBytes;
  }

  static DeadLetters open(String bootstrapServers, Map<String, String> clientProperties, String topic,
      UserCodeClassLoader classLoader, Counter failed) {
    int maxRequestSize = clientProperties.containsKey(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)
        ? Integer.parseInt(clientProperties.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG).trim())
        : DEFAULT_MAX_REQUEST_SIZE;
    return new DeadLetters(sharedProducer(bootstrapServers, clientProperties, classLoader), topic, failed,
        Math.max(0, maxRequestSize - COPY_OVERHEAD_BYTES));
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

  /**
   * Blocks until every copy sent so far is acknowledged or failed (the producer retries until its
   * delivery.timeout.ms), then fails if any failed since the last call.
   */
  static void flushAll() throws IOException {
    List<KafkaProducer<byte[], byte[]>> producers;
    synchronized (DeadLetters.class) {
      producers = new ArrayList<>(SHARED.values());
    }
    for (KafkaProducer<byte[], byte[]> producer : producers) {
      producer.flush();
    }
    if (!TOO_LARGE.isEmpty()) {
      for (Retry retry = TOO_LARGE.poll(); retry != null; retry = TOO_LARGE.poll()) {
        retry.to().send(retry.record(), retry.reason(), retry.detail(), true);
      }
      for (KafkaProducer<byte[], byte[]> producer : producers) {
        producer.flush();
      }
    }
    long failures = FAILED_SINCE_FLUSH.getAndSet(0);
    if (failures > 0) {
      throw new IOException(failures + " record(s) could not be copied to the dead-letter topic (see"
          + " deserializer.spans.deadLetterFailed and the log); failing this checkpoint so they are read"
          + " and copied again after the restore");
    }
  }

  /**
   * Sends a copy. A value the producer could not take (over its max.request.size), or that the topic
   * refused as too large, is left out and its length given in a {@code value.dropped} header: the origin
   * headers still point at the record.
   */
  void copy(ConsumerRecord<byte[], byte[]> record, TracesDecoder.Rejection reason, String detail) {
    send(record, reason, detail, record.value() != null && record.value().length > maxValueBytes);
  }

  private void send(ConsumerRecord<byte[], byte[]> record, TracesDecoder.Rejection reason, String detail,
      boolean dropValue) {
    byte[] value = record.value();
    ProducerRecord<byte[], byte[]> copy =
        new ProducerRecord<>(topic, null, record.key(), dropValue ? null : value);
    copy.headers()
        .add("source.topic", utf8(record.topic()))
        .add("source.partition", utf8(Integer.toString(record.partition())))
        .add("source.offset", utf8(Long.toString(record.offset())))
        .add("reason", utf8(reason.name()));
    if (detail != null) {
      copy.headers().add("detail", utf8(detail.length() <= 200 ? detail : detail.substring(0, 200)));
    }
    if (dropValue) {
      copy.headers().add("value.dropped", utf8(Integer.toString(value.length)));
    }
    try {
      producer.send(copy, (metadata, error) -> {
        if (error instanceof RecordTooLargeException && !dropValue) {
          TOO_LARGE.add(new Retry(this, record, reason, detail));
        } else if (error != null) {
          failed(record, error);
        }
      });
    } catch (RuntimeException e) {
      failed(record, e); // a closed producer, or a serialization fault: thrown, not called back
    }
  }

  private void failed(ConsumerRecord<byte[], byte[]> record, Exception error) {
    FAILED_SINCE_FLUSH.incrementAndGet();
    failed.inc();
    LOG.warn("Could not copy {}-{}@{} to the dead-letter topic {}", record.topic(), record.partition(),
        record.offset(), topic, error);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
