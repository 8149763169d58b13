package io.tracemetrics.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tracemetrics.testsupport.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything a topic holds right now, decoded. The gateway answers only after {@code acks=all}, so once a
 * request got its answer its records are below the end offsets read here: no waiting for "eventually".
 */
final class TopicContent {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private TopicContent() {}

  /** One Kafka record of the topic. */
  record Received(int partition, long offset, int valueBytes, Map<String, String> headers, TracesData data) {
    List<SpanView> spans() {
      return SpanView.of(data);
    }
  }

  /** Reads every record of {@code topic} up to the current end offsets, partition by partition. */
  static List<Received> readAll(String bootstrapServers, String topic) {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
          .map(info -> new TopicPartition(topic, info.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
      List<Received> received = new ArrayList<>();
      // consumer.poll blocks up to 200 ms, so it paces the loop
      boolean read = Await.tryUntil(() -> {
        if (reachedEnd(consumer, end)) {
          return true;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          received.add(decode(record));
        }
        return reachedEnd(consumer, end);
      }, READ_TIMEOUT, Duration.ZERO);
      if (!read) {
        throw new AssertionError("could not read " + topic + " up to " + end + " within " + READ_TIMEOUT);
      }
      return received;
    }
  }

  /** Every span of every record, in record order. */
  static List<SpanView> spans(List<Received> records) {
    return records.stream().flatMap(r -> r.spans().stream()).toList();
  }

  /** Span count of a TracesData (or of an ExportTraceServiceRequest's resource spans). */
  static int countSpans(List<ResourceSpans> resourceSpans) {
    int count = 0;
    for (ResourceSpans rs : resourceSpans) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        count += ss.getSpansCount();
      }
    }
    return count;
  }

  /** The names of the spans of one record, for messages. */
  static List<String> names(TracesData data) {
    List<String> names = new ArrayList<>();
    data.getResourceSpansList().forEach(rs -> rs.getScopeSpansList()
        .forEach(ss -> ss.getSpansList().stream().map(Span::getName).forEach(names::add)));
    return names;
  }

  private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
      if (consumer.position(entry.getKey()) < entry.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static Received decode(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    try {
      return new Received(record.partition(), record.offset(), record.value().length, headers,
          TracesData.parseFrom(record.value()));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("record " + record.partition() + "/" + record.offset()
          + " is not a TracesData", e);
    }
  }
}
