package io.tracemetrics.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracemetrics.testsupport.junit.KafkaBrokerExtension;
import io.tracemetrics.testsupport.kafka.KafkaBroker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When the publisher says a send cannot wait (so the OTLP/HTTP server may call it on an I/O thread): only
 * after Kafka acknowledged a record, and no longer once a send failed.
 */
class KafkaRecordPublisherIT {
  private static final String TOPIC = "publisher";

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void publishesWithoutWaitingOnlyWhileKafkaAcknowledges() throws Exception {
    KafkaBroker broker = KAFKA.broker();
    broker.createTopic(TOPIC, 1);
    try (KafkaRecordPublisher publisher = KafkaRecordPublisher.builder()
        .bootstrapServers(broker.bootstrapServers())
        .topic(TOPIC)
        .bufferMemory(4L << 20)
        .sendTimeout(Duration.ofSeconds(2))
        .maxBlock(Duration.ofSeconds(1))
        .closeTimeout(Duration.ofSeconds(1))
        .build()) {
      assertThat(publisher.publishesWithoutWaiting(100)).as("no metadata yet").isFalse();

      publisher.publish(List.of(new byte[100])).get();
      assertThat(publisher.publishesWithoutWaiting(100)).isTrue();
      // 4 MiB of buffer, a quarter kept free: 3.5 MiB does not fit even when the whole buffer is available.
      assertThat(publisher.publishesWithoutWaiting(7L << 19)).as("more than the buffer can spare").isFalse();

      broker.kill();
      assertThatThrownBy(() -> publisher.publish(List.of(new byte[100])).get()).hasMessageContaining("Timeout");
      assertThat(publisher.publishesWithoutWaiting(100)).as("after a failed send").isFalse();
    }
  }
}
