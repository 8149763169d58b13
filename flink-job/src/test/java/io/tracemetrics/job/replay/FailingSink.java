package io.tracemetrics.job.replay;

import io.tracemetrics.sink.TimeSeries;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The job's real sink with a failure the harness arms: the next series written after arming throws, once,
 * so Flink fails the task in the middle of a window's output and restores the job from its last checkpoint.
 * The MiniCluster runs in the harness's JVM, so a static flag reaches the task.
 */
final class FailingSink implements Sink<TimeSeries> {
  private static final long serialVersionUID = 1L;
  static final AtomicBoolean ARMED = new AtomicBoolean();
  static final AtomicInteger FAILURES = new AtomicInteger();

  private final Sink<TimeSeries> delegate;

  FailingSink(Sink<TimeSeries> delegate) {
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
          throw new IOException("failure injected by the replay check");
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
