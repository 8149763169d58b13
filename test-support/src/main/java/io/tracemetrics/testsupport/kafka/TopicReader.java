package io.tracemetrics.testsupport.kafka;

import io.tracemetrics.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What tests read back from a topic (a dead-letter topic, say) to check what the code under test wrote. */
public final class TopicReader {
  private TopicReader() {}

  /**
   * Reads every partition of {@code topic} from its start (no consumer group) until {@code expected} records
   * came or {@code timeout} passed, and returns what came (more than expected if more were there in one poll).
   */
  public static List<ConsumerRecord<byte[], byte[]>> readFromStart(String bootstrapServers, String topic, int expected,
      Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      // Waits for the topic's metadata: a dead-letter topic may be created by the first record sent to it.
      List<TopicPartition> partitions = Await.until(() -> partitionsOf(consumer, topic),
          found -> !found.isEmpty(), timeout, "partitions of " + topic).stream()
          .map(info -> new TopicPartition(topic, info.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // consumer.poll blocks up to 500 ms, so it paces the loop
      Await.tryUntil(() -> {
        if (records.size() < expected) {
          consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records.size() >= expected;
      }, timeout, Duration.ZERO);
    }
    return records;
  }

  private static List<PartitionInfo> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
    try {
      List<PartitionInfo> found = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      return found == null ? List.of() : found;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return List.of(); // not there yet
    }
  }
}
