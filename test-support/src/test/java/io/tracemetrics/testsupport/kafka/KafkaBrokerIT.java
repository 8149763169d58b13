package io.tracemetrics.testsupport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.junit.KafkaBrokerExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void recordSurvivesKillAndRestartAndTheBrokerIsUnreachableWhileDown() throws Exception {
    KafkaBroker broker = KAFKA.broker();
    broker.createTopic("spans", 2);
    try (KafkaProducer<String, String> producer = producer(broker)) {
      producer.send(new ProducerRecord<>("spans", "k", "before-kill")).get(30, TimeUnit.SECONDS);

      broker.kill();
      assertThat(broker.isRunning()).isFalse();
      ProducerRecord<String, String> whileDown = new ProducerRecord<>("spans", "k", "while-down");
      assertThatThrownBy(() -> producer.send(whileDown).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);

      broker.restart();
      producer.send(new ProducerRecord<>("spans", "k", "after-restart")).get(30, TimeUnit.SECONDS);
    }

    assertThat(readAll(broker, "spans", 2)).containsExactly("before-kill", "after-restart");
  }

  @Test
  void autoCreatedTopicTakesRecordsFromAConsumerGroup() throws Exception {
    KafkaBroker broker = KAFKA.broker();
    try (KafkaProducer<String, String> producer = producer(broker)) {
      producer.send(new ProducerRecord<>("auto-created", "hello")).get(30, TimeUnit.SECONDS);
    }

    assertThat(readAll(broker, "auto-created", 1)).containsExactly("hello");
  }

  @Test
  void startOnATakenPortFailsWithTheBrokerLog() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> KafkaBroker.builder().port(taken.getLocalPort()).start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited with code")
          .hasMessageContaining("Address already in use");
    }
  }

  private static KafkaProducer<String, String> producer(KafkaBroker broker) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Short enough that a send to the killed broker fails within the test, long enough for a cold start.
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  /** Reads from a consumer group until {@code count} values arrived (keyed records stay in order). */
  private static List<String> readAll(KafkaBroker broker, String topic, int count) {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      // consumer.poll blocks up to 200 ms, so it paces the loop
      Await.tryUntil(() -> {
        if (values.size() >= count) {
          return true;
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
        return values.size() >= count;
      }, Duration.ofSeconds(30), Duration.ZERO);
    }
    return values;
  }
}
