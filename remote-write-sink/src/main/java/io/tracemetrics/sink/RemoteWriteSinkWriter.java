package io.tracemetrics.sink;

import io.tracemetrics.sink.http.RemoteWriteClient;
import io.tracemetrics.sink.wire.WriteRequestBuffer;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Batches series by samples, bytes and age, and hands each full batch to every endpoint. Everything runs
 * in the task's mailbox thread: records, {@link #flush} before a checkpoint barrier, and the age timer
 * (Flink runs processing-time callbacks in the mailbox), so no state is shared across threads.
 */
final class RemoteWriteSinkWriter implements SinkWriter<TimeSeries> {
  private final List<RemoteWriteClient> clients;
  private final ProcessingTimeService time;
  private final int maxBatchSamples;
  private final int maxBatchBytes;
  private final long maxBufferMillis;
  private final WriteRequestBuffer batch;
  private long batchStartedAt;
  private boolean timerPending;

  RemoteWriteSinkWriter(List<RemoteWriteClient> clients, ProcessingTimeService time,
      int maxBatchSamples, int maxBatchBytes, long maxBufferMillis) {
    this.clients = List.copyOf(clients);
    this.time = time;
    this.maxBatchSamples = maxBatchSamples;
    this.maxBatchBytes = maxBatchBytes;
    this.maxBufferMillis = maxBufferMillis;
    this.batch = new WriteRequestBuffer(Math.min(maxBatchBytes, 1 << 16));
  }

  @Override
  public void write(TimeSeries series, Context context) throws IOException, InterruptedException {
    if (!batch.isEmpty() && wouldOverflow(series)) {
      sendBatch();
    }
    if (batch.isEmpty()) {
      batchStartedAt = time.getCurrentProcessingTime();
      scheduleTimer(batchStartedAt + maxBufferMillis);
    }
    // A single series above a limit still goes out, alone in its batch.
    batch.add(series);
    if (batch.sampleCount() >= maxBatchSamples || batch.sizeBytes() >= maxBatchBytes) {
      sendBatch();
    }
  }

  private boolean wouldOverflow(TimeSeries series) {
    return batch.sampleCount() + series.sampleCount() > maxBatchSamples
        || batch.sizeBytes() + WriteRequestBuffer.encodedSize(series) > maxBatchBytes;
  }

  /** Called before every checkpoint barrier and at end of input: the checkpoint waits for delivery. */
  @Override
  public void flush(boolean endOfInput) throws IOException, InterruptedException {
    if (!batch.isEmpty()) {
      sendBatch();
    }
  }

  private void scheduleTimer(long at) {
    if (!timerPending) {
      timerPending = true;
      time.registerTimer(at, this::onTimer);
    }
  }

  private void onTimer(long now) throws IOException, InterruptedException {
    timerPending = false;
    if (batch.isEmpty()) {
      return;
    }
    long due = batchStartedAt + maxBufferMillis;
    if (now >= due) {
      sendBatch();
    } else {
      // The timer belonged to an earlier batch; this one is younger.
      scheduleTimer(due);
    }
  }

  private void sendBatch() throws IOException, InterruptedException {
    byte[] compressed = batch.snappyCompressed();
    for (RemoteWriteClient client : clients) {
      client.send(compressed, batch.sizeBytes(), batch.seriesCount(), batch.sampleCount());
    }
    batch.clear();
  }

  /** Nothing is sent here: Flink flushes before a clean close, and a cancelled task must not block. */
  @Override
  public void close() {
    batch.clear();
  }
}
