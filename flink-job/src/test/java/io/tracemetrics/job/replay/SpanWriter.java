package io.tracemetrics.job.replay;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a tick of the corpus to Kafka as the Collector's kafka exporter would (TracesData values, no key),
 * stamping end times at the moment of sending, and keeps every span it wrote for the oracle.
 */
final class SpanWriter implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final List<SentSpan> sent = Collections.synchronizedList(new ArrayList<>());
  private int records;

  SpanWriter(String bootstrapServers, String topic) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // One batch in flight: a retried batch never leaves a gap in the sequence numbers behind it.
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  /** Sends every record of the tick and waits for Kafka to acknowledge them. */
  void send(List<RecordPlan> tick) throws Exception {
    long now = System.currentTimeMillis();
    List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
    for (RecordPlan record : tick) {
      byte[] value = record.isPoison() ? record.poison() : encode(record, now);
      acks.add(producer.send(new ProducerRecord<>(topic, record.partition(), null, value)));
      records++;
    }
    for (java.util.concurrent.Future<?> ack : acks) {
      ack.get(30, TimeUnit.SECONDS);
    }
  }

  private byte[] encode(RecordPlan record, long now) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (SpanPlan plan : record.spans()) {
      long endMillis = plan.timing().endMillis(now, new Random(plan.draw()));
      // Sub-millisecond end times: windows are floored from nanos, so the oracle must floor the same value.
      long endNanos = TimeUnit.MILLISECONDS.toNanos(endMillis) + Math.floorMod(plan.draw(), 1_000_000L);
      long startNanos = plan.timing() == Timing.END_BEFORE_START
          ? endNanos + 5_000_000L
          : endNanos - TimeUnit.MILLISECONDS.toNanos(plan.durationMs());
      scope.addSpans(Span.newBuilder()
          .setName(plan.spanName())
          .setKindValue(plan.kind())
          .setStartTimeUnixNano(startNanos)
          .setEndTimeUnixNano(endNanos)
          .setStatus(Status.newBuilder().setCodeValue(plan.status())));
      sent.add(new SentSpan(plan, startNanos, endNanos, now));
    }
    return TracesData.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
                .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(record.service()))))
            .addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  List<SentSpan> sent() {
    synchronized (sent) {
      return List.copyOf(sent);
    }
  }

  int records() {
    return records;
  }

  @Override
  public void close() {
    producer.close();
  }
}
