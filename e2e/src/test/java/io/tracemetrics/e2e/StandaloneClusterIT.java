package io.tracemetrics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tracemetrics.testsupport.flink.FlinkCluster;
import io.tracemetrics.testsupport.junit.KafkaBrokerExtension;
import io.tracemetrics.testsupport.junit.VictoriaMetricsExtension;
import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.Prometheus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job as it is deployed: the shaded {@code flink-job-*-all.jar} submitted with {@code flink run} to a
 * real standalone session cluster (jobmanager and taskmanager JVMs on Flink's own jars), reading OTLP
 * {@code TracesData} records that a producer writes straight to Kafka as the Collector's kafka exporter does,
 * writing to VictoriaMetrics, and scraped by Prometheus through Flink's Prometheus reporter.
 */
class StandaloneClusterIT {
  private static final String TOPIC = "otlp_spans";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @RegisterExtension
  @Order(1)
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension
  @Order(2)
  static final VictoriaMetricsExtension VICTORIA_METRICS = new VictoriaMetricsExtension();

  private static FlinkCluster cluster;
  private static Prometheus prometheus;
  private static JobID job;

  @BeforeAll
  static void submitTheShadedJobAndSendSpans() throws Exception {
    Path jar = shadedJobJar();
    KAFKA.broker().createTopic(TOPIC, 2);
    cluster = FlinkCluster.builder().slots(2).parallelism(2).start();
    prometheus = Prometheus.builder()
        .scrapeTarget("flink-jobmanager", "127.0.0.1:" + cluster.jobManagerMetricsPort())
        .scrapeTarget("flink-taskmanager", "127.0.0.1:" + cluster.taskManagerMetricsPort())
        .start();
    job = cluster.submit(jar,
        "--kafka.bootstrap-servers", KAFKA.bootstrapServers(),
        "--remote-write.url", VICTORIA_METRICS.store().remoteWriteUrl(),
        "--window.size", "2 s",
        "--watermark.out-of-orderness", "500 ms",
        "--watermark.idle-after", "1 s",
        "--checkpoint.interval", "2 s");
    cluster.awaitRunning(job, PATIENCE);
    sendCollectorStyleRecords();
  }

  @AfterAll
  static void stopEverything() {
    try {
      if (cluster != null && job != null && !cluster.jobStatus(job).isGloballyTerminalState()) {
        cluster.cancel(job);
      }
    } finally {
      if (prometheus != null) {
        prometheus.close();
      }
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  void tracesDataWrittenStraightToKafkaBecomesExactCallCounts() {
    PromQuery vm = VICTORIA_METRICS.query();
    expectCalls(vm, "checkout", "GET /cart", "SPAN_KIND_SERVER", "STATUS_CODE_OK", 3);
    expectCalls(vm, "checkout", "GET /cart", "SPAN_KIND_SERVER", "STATUS_CODE_ERROR", 1);
    expectCalls(vm, "payments", "charge", "SPAN_KIND_CLIENT", "STATUS_CODE_UNSET", 2);
    vm.awaitValue("sum(llm_traces_span_metrics_latency_count)", 6, PATIENCE);
    // 3 × 5 ms + 20 ms + 2 × 100 ms
    vm.awaitValue("sum(llm_traces_span_metrics_latency_sum)", 235, PATIENCE);
  }

  @Test
  void prometheusScrapesTheJobsOwnCountersFromTheTaskManagerReporter() {
    PromQuery prom = prometheus.query();
    prom.awaitValue("up{job=\"flink-jobmanager\"}", 1, PATIENCE);
    prom.awaitValue("up{job=\"flink-taskmanager\"}", 1, PATIENCE);
    prom.awaitValue("flink_jobmanager_numRegisteredTaskManagers", 1, PATIENCE);
    prom.awaitValue("flink_jobmanager_numRunningJobs", 1, PATIENCE);
    // The Kafka source puts the deserializer's metrics under a "deserializer" group: spans.in is exposed so.
    prom.awaitValue("sum(flink_taskmanager_job_task_operator_deserializer_spans_in)", 6, PATIENCE);
    prom.awaitValue("sum(flink_taskmanager_job_task_operator_deserializer_spans_rejected_count"
        + "{rejected=\"undecodable\"})", 1, PATIENCE);
    prom.awaitValue("sum(flink_taskmanager_job_task_operator_red_seriesCreated)", 3, PATIENCE);
    prom.awaitValue("sum(flink_taskmanager_job_task_operator_red_spansLate)", 0, PATIENCE);
    assertThat(cluster.jobStatus(job)).isEqualTo(JobStatus.RUNNING);
  }

  private static void expectCalls(
      PromQuery store, String service, String span, String kind, String status, double expected) {
    store.awaitValue("llm_traces_span_metrics_calls_total{service_name=\"" + service + "\",span_name=\"" + span
        + "\",span_kind=\"" + kind + "\",status_code=\"" + status + "\"}", expected, PATIENCE);
  }

  /** Two TracesData records and one that is not OTLP, without key or headers, as the Collector writes them. */
  private static void sendCollectorStyleRecords() throws Exception {
    long end = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    List<Span> cart = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      cart.add(span("GET /cart", Span.SpanKind.SPAN_KIND_SERVER, Status.StatusCode.STATUS_CODE_OK, end, 5));
    }
    cart.add(span("GET /cart", Span.SpanKind.SPAN_KIND_SERVER, Status.StatusCode.STATUS_CODE_ERROR, end, 20));
    List<Span> charges = List.of(
        span("charge", Span.SpanKind.SPAN_KIND_CLIENT, Status.StatusCode.STATUS_CODE_UNSET, end, 100),
        span("charge", Span.SpanKind.SPAN_KIND_CLIENT, Status.StatusCode.STATUS_CODE_UNSET, end, 100));
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] value : List.of(traces("checkout", cart).toByteArray(), traces("payments", charges).toByteArray(),
          "not OTLP at all".getBytes(StandardCharsets.UTF_8))) {
        producer.send(new ProducerRecord<>(TOPIC, value)).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static TracesData traces(String service, List<Span> spans) {
    Resource resource = Resource.newBuilder()
        .addAttributes(KeyValue.newBuilder().setKey("service.name")
            .setValue(AnyValue.newBuilder().setStringValue(service)))
        .build();
    return TracesData.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
            .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans)))
        .build();
  }

  private static Span span(String name, Span.SpanKind kind, Status.StatusCode status, long endNanos, long millis) {
    return Span.newBuilder()
        .setName(name)
        .setKind(kind)
        .setStatus(Status.newBuilder().setCode(status))
        .setStartTimeUnixNano(endNanos - TimeUnit.MILLISECONDS.toNanos(millis))
        .setEndTimeUnixNano(endNanos)
        .build();
  }

  /** {@code ../flink-job/target/flink-job-*-all.jar} from this module: built by the reactor's package phase. */
  private static Path shadedJobJar() throws Exception {
    Path testClasses = Path.of(StandaloneClusterIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path target = testClasses.getParent().getParent().resolveSibling("flink-job").resolve("target");
    List<Path> jars = new ArrayList<>();
    if (Files.isDirectory(target)) {
      try (DirectoryStream<Path> found = Files.newDirectoryStream(target, "flink-job-*-all.jar")) {
        found.forEach(jars::add);
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + target, e);
      }
    }
    assertThat(jars)
        .as("the shaded job jar in %s: build it first with 'mvn -pl flink-job package' (or the whole reactor)",
            target)
        .hasSize(1);
    return jars.get(0);
  }
}
