package io.tracemetrics.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.FreePorts;
import io.tracemetrics.testsupport.flink.FlinkRest;
import io.tracemetrics.testsupport.junit.KafkaBrokerExtension;
import io.tracemetrics.testsupport.kafka.TopicReader;
import io.tracemetrics.testsupport.junit.VictoriaMetricsExtension;
import io.tracemetrics.testsupport.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No record can stop the job: every class of poison a producer on the topic can write, interleaved with good
 * records on two partitions. The job must run on with no restart, count every good span exactly, count every
 * poison record under its reason, and copy each to the dead-letter topic.
 */
class JobPoisonIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String TOPIC = "poisoned";
  private static final String DEAD_LETTERS = "poisoned_dlq";
  private static final int LARGE = 17 << 20;
  private static final Pattern REJECTED = Pattern.compile("spans\\.rejected\\.([a-z0-9_]+)\\.count$");
  private static final int DEAD_LETTER_MAX = 150_000;

  @RegisterExtension
  @Order(1)
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  /** Takes records up to 20 MB, so that a record over the job's 16 MiB limit can be written at all. */
  @RegisterExtension
  @Order(2)
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension(() ->
      KafkaBroker.builder().port(FreePorts.pick()).controllerPort(FreePorts.pick())
          .property("message.max.bytes", "20000000")
          .property("replica.fetch.max.bytes", "20000000"));

  @RegisterExtension
  @Order(3)
  static final VictoriaMetricsExtension VM = new VictoriaMetricsExtension();

  /** One poison record: its value, an optional region header, and the reason the job must give. */
  private record Poison(String name, byte[] value, byte[] region, String reason) {}

  private static List<Poison> poisons() {
    List<Poison> poisons = new ArrayList<>();
    byte[] groups = new byte[300_000];
    Arrays.fill(groups, (byte) 0x0B); // start-group of field 1, nested 300,000 deep
    poisons.add(new Poison("nested groups", groups, null, "too_deep"));
    String deepJson = "{\"resourceSpans\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    poisons.add(new Poison("deep JSON", utf8(deepJson), null, "too_deep"));
    poisons.add(new Poison("length beyond the record", new byte[] {0x0A, (byte) 0xFF, 0x7F}, null, "undecodable"));
    poisons.add(new Poison("tombstone", null, null, "tombstone"));
    poisons.add(new Poison("empty", new byte[0], null, "empty"));
    poisons.add(new Poison("text", utf8("definitely not OTLP"), null, "undecodable"));
    poisons.add(new Poison("Zipkin JSON", utf8("[{\"traceId\":\"5af7183fb1d4cf5f\",\"id\":\"6b221d5bc9e6496c\","
        + "\"name\":\"get /api\",\"timestamp\":1556604172355737,\"duration\":1431}]"), null, "not_traces"));
    // A metric's data sits where a span's name would: read as traces, the "name" is not text.
    poisons.add(new Poison("OTLP metrics", metrics(), null, "invalid_utf8"));
    poisons.add(new Poison("invalid UTF-8 in a span name", badUtf8Span(), null, "invalid_utf8"));
    poisons.add(new Poison("region header of 300 bytes", traces("header-victim"), new byte[300], "invalid_region_header"));
    poisons.add(new Poison("17 MiB", new byte[LARGE], null, "too_large"));
    return poisons;
  }

  @Test
  void everyPoisonRecordIsCountedByReasonAndDeadLetteredWhileEveryGoodSpanIsCounted(
      @InjectClusterClient ClusterClient<?> flink) throws Exception {
    KAFKA.broker().createTopic(TOPIC, 2);
    // The dead-letter topic takes less than the source topic: copies it refuses as too large go again
    // without their value.
    KAFKA.broker().createTopic(DEAD_LETTERS, 1, Map.of("max.message.bytes", Integer.toString(DEAD_LETTER_MAX)));
    List<String> args = List.of(
        "--kafka.bootstrap-servers", KAFKA.bootstrapServers(), "--kafka.topic", TOPIC, "--kafka.group-id", TOPIC,
        "--kafka.dead-letter-topic", DEAD_LETTERS,
        "--remote-write.url", VM.store().remoteWriteUrl(),
        "--window.size", "1 s", "--watermark.out-of-orderness", "300 ms", "--watermark.idle-after", "1 s",
        "--checkpoint.interval", "1 s");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    RedMetricsJob.fromOptions(JobOptions.fromArgs(args.toArray(new String[0]), Map.of())).build(env);
    JobClient job = env.executeAsync("poison");
    List<Poison> poisons = poisons();
    Map<String, Integer> expectedReasons = new TreeMap<>();
    try (SpanRecords spans = new SpanRecords(KAFKA.bootstrapServers(), TOPIC);
        KafkaProducer<byte[], byte[]> raw = producer()) {
      for (Poison poison : poisons) {
        spans.sendRounds(1, new String[] {"poison-neighbour"}, new String[] {"GET /a", "GET /b"}, 50);
        for (int partition = 0; partition < 2; partition++) {
          ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TOPIC, partition, null, poison.value());
          if (poison.region() != null) {
            record.headers().add(new RecordHeader("region", poison.region()));
          }
          raw.send(record).get(30, TimeUnit.SECONDS);
          expectedReasons.merge(poison.reason(), 1, Integer::sum);
        }
      }
      spans.sendRounds(3, new String[] {"poison-neighbour"}, new String[] {"GET /a", "GET /b"}, 200);

      spans.expected.forEach((series, count) -> {
        String[] parts = series.split("\\|");
        VM.query().awaitValue("llm_traces_span_metrics_calls_total{service_name=\"" + parts[0] + "\",span_name=\""
            + parts[1] + "\",status_code=\"" + parts[2] + "\"}", count, PATIENCE);
      });
      assertThat(VM.query().rawSeries("{__name__=\"llm_traces_span_metrics_calls_total\","
          + "service_name=\"header-victim\"}")).as("spans of the record refused for its header").isEmpty();

      List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readFromStart(KAFKA.bootstrapServers(), DEAD_LETTERS, 2 * poisons.size(), PATIENCE);
      Map<String, Integer> deadReasons = new TreeMap<>();
      for (ConsumerRecord<byte[], byte[]> record : dead) {
        deadReasons.merge(header(record, "reason").toLowerCase(), 1, Integer::sum);
      }
      assertThat(deadReasons).as("dead letters by reason").isEqualTo(expectedReasons);
      for (Poison poison : poisons) {
        // A value over the dead-letter producer's or topic's limit is copied as headers only, marked so.
        boolean tooLarge = poison.value() != null && poison.value().length > DEAD_LETTER_MAX;
        long copies = dead.stream()
            .filter(r -> tooLarge
                ? r.value() == null && r.headers().lastHeader("value.dropped") != null
                    && header(r, "value.dropped").equals(Integer.toString(poison.value().length))
                : r.headers().lastHeader("value.dropped") == null && Arrays.equals(r.value(), poison.value()))
            .count();
        assertThat(copies).as("copies of '%s'", poison.name()).isEqualTo(2);
      }

      FlinkRest rest = new FlinkRest(flink.getWebInterfaceURL());
      // The REST API serves metrics it fetched from the task managers, every few seconds.
      Map<String, Integer> rejected = Await.until(() -> rejectedByReason(rest, job.getJobID()),
          byReason -> byReason.entrySet().containsAll(expectedReasons.entrySet()), PATIENCE,
          "spans.rejected.<reason>.count through the REST API");
      assertThat(rejected).as("spans.rejected.<reason>.count").containsAllEntriesOf(expectedReasons);
      assertThat(rest.jobMetric(job.getJobID(), "numRestarts")).as("restarts").isZero();
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  private static byte[] traces(String service) {
    long end = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    return TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service))))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("x")
                .setStartTimeUnixNano(end - 1_000_000).setEndTimeUnixNano(end))))
        .build().toByteArray();
  }

  /** A span whose name is the bytes "ab", 0xFF, "cd": not UTF-8. */
  private static byte[] badUtf8Span() {
    byte[] value = traces("bad-utf8");
    byte[] name = {0x2A, 0x01, 'x'}; // the span's name field: tag 5 LEN, length 1, "x"
    for (int i = 0; i + name.length <= value.length; i++) {
      if (value[i] == name[0] && value[i + 1] == name[1] && value[i + 2] == name[2]) {
        value[i + 2] = (byte) 0xFF;
        return value;
      }
    }
    throw new IllegalStateException("span name not found");
  }

  private static byte[] metrics() {
    return MetricsData.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("metrics-app"))))
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("queue_depth")
                .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                    .setTimeUnixNano(TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis())).setAsInt(3))))))
        .build().toByteArray();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    assertThat(header).as("header %s of a dead letter", name).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "20000000");
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, "64000000");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sum over the source's subtasks of each {@code spans.rejected.<reason>.count} above 0, by reason. */
  private static Map<String, Integer> rejectedByReason(FlinkRest rest, JobID job) {
    Map<String, Integer> byReason = new TreeMap<>();
    rest.subtaskMetricSums(job, id -> REJECTED.matcher(id).find()).forEach((id, sum) -> {
      Matcher reason = REJECTED.matcher(id);
      if (reason.find() && sum > 0) {
        byReason.merge(reason.group(1), (int) (double) sum, Integer::sum);
      }
    });
    return byReason;
  }
}
