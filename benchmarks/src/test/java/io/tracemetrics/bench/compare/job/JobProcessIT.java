package io.tracemetrics.bench.compare.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tracemetrics.bench.ServerSpans;
import io.tracemetrics.testsupport.junit.KafkaBrokerExtension;
import io.tracemetrics.testsupport.junit.VictoriaMetricsExtension;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in its own JVM through the lives a benchmark gives it: a first start, a stop with a savepoint and
 * a restore from it, a SIGKILL and a restore from the newest retained checkpoint. Every span produced is
 * counted once in the end: the counters in VictoriaMetrics add up to all of them.
 */
class JobProcessIT {
  private static final String TOPIC = "otlp_spans";
  private static final String CALLS = "sum(llm_traces_span_metrics_calls_total)";
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final int BATCH = 50;

  @RegisterExtension
  @Order(1)
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension
  @Order(2)
  static final VictoriaMetricsExtension STORE = new VictoriaMetricsExtension(() -> VictoriaMetrics.builder()
      // A restore re-sends the windows written after its checkpoint, with the same samples; one copy stays.
      .dedupMinScrapeInterval(Duration.ofMillis(1)));

  private final SplittableRandom random = new SplittableRandom(7);
  private int produced;

  @Test
  void countsEverySpanOnceAcrossASavepointAndACrash(@TempDir Path dir) throws Exception {
    KAFKA.broker().createTopic(TOPIC, 2);
    Path checkpoints = dir.resolve("checkpoints");
    List<String> jobArgs = List.of(
        "--kafka.bootstrap-servers=" + KAFKA.bootstrapServers(),
        "--kafka.topic=" + TOPIC,
        "--remote-write.url=" + STORE.store().remoteWriteUrl(),
        "--window.size=2s",
        "--checkpoint.interval=1s");

    String savepoint;
    try (JobProcess first = JobProcess.start(jobArgs, checkpoints, null, 2, 512)) {
      assertThat(first.restUrl()).startsWith("http://127.0.0.1:");
      produce(3);
      STORE.query().awaitValue(CALLS, produced, PATIENCE);
      savepoint = first.stopWithSavepoint(dir.resolve("savepoints"));
      assertThat(ProcessHandle.of(first.pid())).isEmpty();
    }
    Path savepointDir = Path.of(URI.create(savepoint));
    assertThat(savepointDir.resolve("_metadata")).isRegularFile();

    try (JobProcess restored = JobProcess.start(jobArgs, checkpoints, savepointDir, 2, 512)) {
      produce(3);
      STORE.query().awaitValue(CALLS, produced, PATIENCE);
      produce(2); // in Kafka, maybe read, not yet in a checkpoint the kill leaves behind
      restored.kill();
      assertThat(ProcessHandle.of(restored.pid())).isEmpty();
    }

    Path checkpoint = JobProcess.newestRetainedCheckpoint(checkpoints).orElseThrow();
    try (JobProcess recovered = JobProcess.start(jobArgs, checkpoints, checkpoint, 2, 512)) {
      produce(3);
      STORE.query().awaitValue(CALLS, produced, PATIENCE);
      assertThat(ProcessHandle.of(recovered.pid()).map(ProcessHandle::isAlive)).contains(true);
    }
    try (var left = Files.list(checkpoints)) {
      assertThat(left).as("the checkpoint directory is the caller's: it stays").isNotEmpty();
    }
  }

  /** Sends {@code records} TracesData records of {@link #BATCH} spans each (ending within the last minute). */
  private void produce(int records) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < records; i++) {
        TracesData traces = TracesData.newBuilder()
            .addResourceSpans(ServerSpans.batch(random, i % 2, BATCH, 3, 0)).build();
        producer.send(new ProducerRecord<>(TOPIC, traces.toByteArray())).get(30, TimeUnit.SECONDS);
        produced += BATCH;
      }
    }
  }
}
