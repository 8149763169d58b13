package io.tracemetrics.bench.job;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Discards everything and counts it, so a phase proves it saw every record. The count is static: the
 * benchmark runs its MiniCluster in its own JVM, where the writer and the harness share the class.
 */
final class CountingSink<T> implements Sink<T> {
  private static final long serialVersionUID = 1L;
  static final AtomicLong COUNT = new AtomicLong();

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context context) {
        COUNT.incrementAndGet(); // uncontended: one writer
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
