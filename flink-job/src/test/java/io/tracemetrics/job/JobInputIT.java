package io.tracemetrics.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.FreePorts;
import io.tracemetrics.testsupport.kafka.KafkaBroker;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the job reads: bad records beside good ones, one Kafka source per region, a Kafka behind SASL. */
class JobInputIT {
  private static final String[] SPAN_NAMES = {"GET /x"};
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @RegisterExtension
  @Order(1)
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final int SASL_PORT = FreePorts.pick();
  private static final String JOB_JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"job\" password=\"job-secret\";";

  /** A broker with a plain listener (for the test's own clients) and a SASL/PLAIN one that knows user "job". */
  @RegisterExtension
  @Order(2)
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension(() -> {
    int port = FreePorts.pick();
    int controller = FreePorts.pick();
    return KafkaBroker.builder().port(port).controllerPort(controller)
        .property("listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + SASL_PORT
            + ",CONTROLLER://127.0.0.1:" + controller)
        .property("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + SASL_PORT)
        .property("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
        .property("sasl.enabled.mechanisms", "PLAIN")
        .property("listener.name.sasl_plaintext.plain.sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required user_job=\"job-secret\";");
  });

  @RegisterExtension
  @Order(3)
  static final VictoriaMetricsExtension VM = new VictoriaMetricsExtension();

  private static List<String> fastJob(String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--remote-write.url", VM.store().remoteWriteUrl(),
        "--window.size", "1 s",
        "--watermark.out-of-orderness", "300 ms",
        "--watermark.idle-after", "1 s",
        "--checkpoint.interval", "1 s"));
    args.addAll(List.of(more));
    return args;
  }

  private static JobClient run(List<String> args, String name) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    RedMetricsJob.fromOptions(JobOptions.fromArgs(args.toArray(new String[0]), Map.of())).build(env);
    return env.executeAsync(name);
  }

  @Test
  void recordsThatAreNotOtlpAreSkippedCountedAndCopiedToTheDeadLetterTopic() throws Exception {
    KAFKA.broker().createTopic("input_bad", 1);
    KAFKA.broker().createTopic("input_bad_dlq", 1);
    JobClient job = run(fastJob("--kafka.bootstrap-servers", KAFKA.bootstrapServers(), "--kafka.topic", "input_bad",
        "--kafka.group-id", "input_bad", "--kafka.dead-letter-topic", "input_bad_dlq"), "bad records");
    try (SpanRecords spans = new SpanRecords(KAFKA.bootstrapServers(), "input_bad");
        KafkaProducer<byte[], byte[]> raw = producer()) {
      spans.sendRounds(2, new String[] {"bad-neighbour"}, SPAN_NAMES, 100);
      raw.send(new ProducerRecord<>("input_bad", "definitely not OTLP".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
      raw.send(new ProducerRecord<>("input_bad", new byte[] {0x0A, (byte) 0xFF, 0x7F})).get(30, TimeUnit.SECONDS);
      spans.sendRounds(2, new String[] {"bad-neighbour"}, SPAN_NAMES, 100);

      spans.expected.forEach((series, count) -> {
        String[] parts = series.split("\\|");
        VM.query().awaitValue("llm_traces_span_metrics_calls_total{service_name=\"" + parts[0]
            + "\",status_code=\"" + parts[2] + "\"}", count, PATIENCE);
      });
      List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readFromStart(KAFKA.bootstrapServers(), "input_bad_dlq", 2, PATIENCE);
      assertThat(dead).extracting(r -> new String(r.value(), StandardCharsets.ISO_8859_1))
          .containsExactly("definitely not OTLP", new String(new byte[] {0x0A, (byte) 0xFF, 0x7F}, StandardCharsets.ISO_8859_1));
      assertThat(new String(dead.get(0).headers().lastHeader("reason").value(), StandardCharsets.UTF_8))
          .isEqualTo("UNDECODABLE");
      assertThat(new String(dead.get(0).headers().lastHeader("source.topic").value(), StandardCharsets.UTF_8))
          .isEqualTo("input_bad");
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aKafkaThatWantsSaslIsReadWithClientPropertiesAndTakesDeadLettersWithThemToo() throws Exception {
    KAFKA.broker().createTopic("input_sasl", 1);
    KAFKA.broker().createTopic("input_sasl_dlq", 1);
    JobClient job = run(fastJob("--kafka.bootstrap-servers", "127.0.0.1:" + SASL_PORT, "--kafka.topic", "input_sasl",
        "--kafka.group-id", "input_sasl", "--kafka.dead-letter-topic", "input_sasl_dlq",
        "--kafka.client.security.protocol", "SASL_PLAINTEXT", "--kafka.client.sasl.mechanism", "PLAIN",
        "--kafka.client.sasl.jaas.config", JOB_JAAS), "sasl");
    try (SpanRecords spans = new SpanRecords(KAFKA.bootstrapServers(), "input_sasl");
        KafkaProducer<byte[], byte[]> raw = producer()) {
      spans.sendRounds(3, new String[] {"behind-sasl"}, SPAN_NAMES, 100);
      raw.send(new ProducerRecord<>("input_sasl", "not OTLP either".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
      VM.query().awaitValue("sum(llm_traces_span_metrics_calls_total{service_name=\"behind-sasl\"})",
          spans.total(), PATIENCE);
      assertThat(TopicReader.readFromStart(KAFKA.bootstrapServers(), "input_sasl_dlq", 1, PATIENCE))
          .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
          .containsExactly("not OTLP either");
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void eachRegionsKafkaIsReadByOneJobAndLabelsItsSpans() throws Exception {
    KAFKA.broker().createTopic("spans_eu", 1);
    KAFKA.broker().createTopic("spans_us", 2);
    String bootstrap = KAFKA.bootstrapServers();
    JobClient job = run(fastJob("--kafka.group-id", "regions",
        "--kafka.sources", "eu=" + bootstrap + "/spans_eu;us=" + bootstrap + "/spans_us"), "regions");
    try (SpanRecords eu = new SpanRecords(bootstrap, "spans_eu");
        SpanRecords us = new SpanRecords(bootstrap, "spans_us")) {
      eu.sendRounds(4, new String[] {"regional"}, SPAN_NAMES, 100);
      us.sendRounds(7, new String[] {"regional"}, SPAN_NAMES, 100);
      VM.query().awaitValue("sum(llm_traces_span_metrics_calls_total{service_name=\"regional\",region=\"eu\"})",
          eu.total(), PATIENCE);
      VM.query().awaitValue("sum(llm_traces_span_metrics_calls_total{service_name=\"regional\",region=\"us\"})",
          us.total(), PATIENCE);
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
