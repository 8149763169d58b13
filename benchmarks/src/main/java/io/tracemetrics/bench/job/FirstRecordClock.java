package io.tracemetrics.bench.job;

import io.tracemetrics.bench.Cpu;
import io.tracemetrics.job.otlp.SpanEvent;
import java.io.IOException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Wraps the job's deserializer to note the wall clock and this JVM's CPU time when the first record
 * arrives, so a phase is measured from there: starting a MiniCluster takes seconds of both, which say
 * nothing about the job. Static, as the harness and the MiniCluster share this JVM.
 */
final class FirstRecordClock implements KafkaRecordDeserializationSchema<SpanEvent> {
  private static final long serialVersionUID = 1L;
  private static volatile long firstNanos;
  private static volatile double firstCpuSeconds;

  private final KafkaRecordDeserializationSchema<SpanEvent> delegate;
  private transient boolean started;

  FirstRecordClock(KafkaRecordDeserializationSchema<SpanEvent> delegate) {
    this.delegate = delegate;
  }

  static void reset() {
    firstNanos = 0;
    firstCpuSeconds = 0;
  }

  /** System.nanoTime() at the first record, 0 before. */
  static long firstNanos() {
    return firstNanos;
  }

  static double firstCpuSeconds() {
    return firstCpuSeconds;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) throws Exception {
    delegate.open(context);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SpanEvent> out) throws IOException {
    if (!started) {
      started = true;
      firstCpuSeconds = Cpu.jvmSeconds();
      firstNanos = System.nanoTime();
    }
    delegate.deserialize(record, out);
  }

  @Override
  public TypeInformation<SpanEvent> getProducedType() {
    return delegate.getProducedType();
  }
}
