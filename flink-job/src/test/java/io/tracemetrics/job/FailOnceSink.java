package io.tracemetrics.job;

import io.tracemetrics.sink.TimeSeries;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The real sink, with a task failure a test can arm: the next series written after arming throws, once, so
 * Flink fails the task in the middle of a window's output and restores the job from its last checkpoint. The
 * MiniCluster runs in the test's JVM, so a static flag reaches the task. (JobRecoveryIT and the replay check.)
 */
public final class FailOnceSink implements Sink<TimeSeries> {
  private static final long serialVersionUID = 1L;
  public static final AtomicBoolean ARMED = new AtomicBoolean();
  public static final AtomicInteger FAILURES = new AtomicInteger();

  private final Sink<TimeSeries> delegate;

  public FailOnceSink(Sink<TimeSeries> delegate) {
    this.delegate = delegate;
  }

  @Override
  public SinkWriter<TimeSeries> createWriter(WriterInitContext context) throws IOException {
    SinkWriter<TimeSeries> writer = delegate.createWriter(context);
    return new SinkWriter<>() {
      @Override
      public void write(TimeSeries element, Context ctx) throws IOException, InterruptedException {
        if (ARMED.compareAndSet(true, false)) {
          FAILURES.incrementAndGet();
          throw new IOException("failure injected by the test");
        }
        writer.write(element, ctx);
      }

      @Override
      public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writer.flush(endOfInput);
      }

      @Override
      public void close() throws Exception {
        writer.close();
      }
    };
  }
}
