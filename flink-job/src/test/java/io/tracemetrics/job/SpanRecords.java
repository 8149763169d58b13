package io.tracemetrics.job;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes OTLP {@code TracesData} straight to Kafka, as the Collector's kafka exporter does, and keeps the
 * count every series should end with.
 */
final class SpanRecords implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  /** "service|span|status" → spans sent. */
  final Map<String, Integer> expected = new TreeMap<>();

  SpanRecords(String bootstrapServers, String topic) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  /**
   * Sends rounds of spans ending now, one record per service and round, spread over the partitions.
   * Rounds are paced so that event time moves forward as it does with live traffic.
   */
  void sendRounds(int rounds, String[] services, String[] spanNames, long pauseMillis) throws Exception {
    for (int round = 0; round < rounds; round++) {
      long endNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
      for (String service : services) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (String spanName : spanNames) {
          Status.StatusCode status = (round % 3 == 0) ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_OK;
          scope.addSpans(Span.newBuilder()
              .setName(spanName)
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(endNanos - (1 + round % 7) * 3_000_000L)
              .setEndTimeUnixNano(endNanos)
              .setStatus(Status.newBuilder().setCode(status)));
          expected.merge(service + "|" + spanName + "|" + status.name(), 1, Integer::sum);
        }
        TracesData traces = TracesData.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
                    .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(scope))
            .build();
        producer.send(new ProducerRecord<>(topic, traces.toByteArray())).get(30, TimeUnit.SECONDS);
      }
      Thread.sleep(pauseMillis);
    }
  }

  int total() {
    return expected.values().stream().mapToInt(Integer::intValue).sum();
  }

  @Override
  public void close() {
    producer.close();
  }
}
