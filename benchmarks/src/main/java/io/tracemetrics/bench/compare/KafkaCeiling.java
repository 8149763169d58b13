package io.tracemetrics.bench.compare;

import io.tracemetrics.bench.Cpu;
import io.tracemetrics.bench.compare.load.RequestSet;
import io.tracemetrics.bench.gateway.GatewayLoad;
import io.tracemetrics.testsupport.kafka.KafkaBroker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ceiling the pipeline is compared with: the same request bytes produced into Kafka with the gateway's
 * producer settings and consumed back at once, on the pipeline's broker settings, with no gateway and no
 * job. Spans per second through both ends, and the cores the broker and the two clients used.
 */
final class KafkaCeiling {
  private static final String TOPIC = "ceiling";
  private static final Duration WARM_UP = Duration.ofSeconds(5);
  /** Bytes produced but not yet acknowledged, as the gateway bounds its in-flight bytes. */
  private static final int IN_FLIGHT_BYTES = 32 << 20;

  record Result(double spansPerSecond, double brokerCores, double clientCores) {}

  private KafkaCeiling() {}

  static Result run(RequestSet requests, Duration duration) throws Exception {
    try (KafkaBroker broker = PipelineStack.broker()) {
      broker.createTopic(TOPIC, PipelineStack.PARTITIONS);
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong consumed = new AtomicLong();
      Thread producer = new Thread(() -> produce(broker.bootstrapServers(), requests, running), "ceiling-producer");
      Thread consumer = new Thread(() -> consume(broker.bootstrapServers(), consumed, running), "ceiling-consumer");
      producer.start();
      consumer.start();
      Thread.sleep(WARM_UP.toMillis());
      long spans0 = consumed.get();
      double broker0 = Cpu.processSeconds(broker.pid());
      double clients0 = Cpu.jvmSeconds();
      long t0 = System.nanoTime();
      Thread.sleep(duration.toMillis());
      double seconds = (System.nanoTime() - t0) / 1e9;
      Result result = new Result((consumed.get() - spans0) / seconds,
          (Cpu.processSeconds(broker.pid()) - broker0) / seconds, (Cpu.jvmSeconds() - clients0) / seconds);
      running.set(false);
      producer.join();
      consumer.join();
      return result;
    }
  }

  /** Round-robin through the requests, each record keyed by its span count, in-flight bytes bounded. */
  private static void produce(String bootstrap, RequestSet requests, AtomicBoolean running) {
    Semaphore inFlight = new Semaphore(IN_FLIGHT_BYTES);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(GatewayLoad.gatewayProducerSettings(bootstrap),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; running.get(); i = (i + 1) % requests.size()) {
        byte[] value = requests.stamp(i, System.currentTimeMillis() * 1_000_000L);
        inFlight.acquireUninterruptibly(value.length);
        byte[] key = ByteBuffer.allocate(4).putInt(requests.spans(i)).array();
        producer.send(new ProducerRecord<>(TOPIC, key, value), (metadata, e) -> inFlight.release(value.length));
      }
    }
  }

  private static void consume(String bootstrap, AtomicLong spans, AtomicBoolean running) {
    Map<String, Object> settings = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
          .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          spans.addAndGet(ByteBuffer.wrap(record.key()).getInt());
        }
      }
    }
  }
}
