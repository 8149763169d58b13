package io.tracemetrics.gateway.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the gateway writes record values (each one a serialized OTLP {@code TracesData}). The narrow
 * seam between the receivers and Kafka: production uses {@link KafkaRecordPublisher}, handler tests an
 * in-memory implementation.
 */
public interface RecordPublisher extends AutoCloseable {
  /**
   * Sends every value as one record. The future completes normally only once the destination has
   * acknowledged all of them, and exceptionally when any one failed (the others may still have been
   * written: delivery is at-least-once, the client retries the whole request).
   */
  CompletableFuture<Void> publish(List<byte[]> values);

  /**
   * Whether {@link #publish} of about this many bytes would return without waiting (for metadata or
   * buffer space), so that it may be called on an I/O thread. A hint: a wrong {@code true} costs a wait,
   * never a record. Default {@code false}: callers publish from a thread that may wait.
   */
  default boolean publishesWithoutWaiting(long bytes) {
    return false;
  }

  /** Largest value size this publisher accepts; larger requests must be split by the caller. */
  int maxValueBytes();

  /** Flushes what is pending and releases resources. */
  @Override
  void close();
}
