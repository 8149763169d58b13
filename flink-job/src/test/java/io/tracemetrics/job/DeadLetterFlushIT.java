package io.tracemetrics.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.junit.KafkaBrokerExtension;
import io.tracemetrics.testsupport.kafka.TopicReader;
import io.tracemetrics.testsupport.junit.VictoriaMetricsExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dead-letter copies are in Kafka before the checkpoint that commits their records' offsets completes.
 * The dead-letter producer is told to hold its batches for ten minutes (linger.ms), so a copy reaches
 * the broker within the test's time only if the job flushes it before the checkpoint barrier.
 */
class DeadLetterFlushIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final int BAD_RECORDS = 25;

  @RegisterExtension
  @Order(1)
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

  @RegisterExtension
  @Order(2)
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension
  @Order(3)
  static final VictoriaMetricsExtension VM = new VictoriaMetricsExtension();

  @Test
  void everyCopyOfACommittedRecordIsAlreadyInTheDeadLetterTopic() throws Exception {
    KAFKA.broker().createTopic("flush_in", 1);
    KAFKA.broker().createTopic("flush_dlq", 1);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    String[] args = {
        "--kafka.bootstrap-servers", KAFKA.bootstrapServers(), "--kafka.topic", "flush_in",
        "--kafka.group-id", "flush", "--kafka.dead-letter-topic", "flush_dlq",
        "--kafka.client.linger.ms", "600000", "--kafka.client.batch.size", "1048576",
        "--remote-write.url", VM.store().remoteWriteUrl(), "--checkpoint.interval", "1 s"};
    RedMetricsJob.fromOptions(JobOptions.fromArgs(args, Map.of())).build(env);
    JobClient job = env.executeAsync("dead-letter flush");
    try {
      List<String> sent = new ArrayList<>();
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        for (int i = 0; i < BAD_RECORDS; i++) {
          String value = "not OTLP, record " + i;
          sent.add(value);
          producer.send(new ProducerRecord<>("flush_in", value.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
      }

      awaitCommittedOffset("flush", new TopicPartition("flush_in", 0), BAD_RECORDS);

      // Committed means checkpointed: every copy must be readable now, not ten minutes from now.
      List<ConsumerRecord<byte[], byte[]>> copies = TopicReader.readFromStart(KAFKA.bootstrapServers(), "flush_dlq", BAD_RECORDS, Duration.ofSeconds(20));
      assertThat(copies).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
          .containsExactlyElementsOf(sent);
      assertThat(copies).allSatisfy(r -> {
        assertThat(new String(r.headers().lastHeader("reason").value(), StandardCharsets.UTF_8)).isEqualTo("UNDECODABLE");
        assertThat(r.headers().lastHeader("detail")).isNotNull();
      });
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  private static void awaitCommittedOffset(String group, TopicPartition partition, long offset) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      // the admin round trip paces this loop
      Await.until(() -> {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS).get(partition);
        return committed != null && committed.offset() >= offset;
      }, PATIENCE, Duration.ZERO, "the job to commit an offset >= " + offset);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
