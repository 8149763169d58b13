package io.tracemetrics.sink;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Batches series by samples, bytes and age, and hands each full batch to every endpoint's sender. The
 * batching runs in the task's mailbox thread: records, {@link #flush} before a checkpoint barrier, and the
 * age timer (Flink runs processing-time callbacks in the mailbox), so the buffer is never shared. Only the
 * finished, immutable {@link EncodedBatch} crosses to the senders' threads.
 */
final class RemoteWriteSinkWriter implements SinkWriter<TimeSeries> {
  private final List<EndpointSender> senders;
  private final ProcessingTimeService time;
  private final int maxBatchSamples;
  private final int maxBatchBytes;
  private final long maxBufferMillis;
  private final WriteRequestBuffer batch;
  private long batchStartedAt;
  private boolean timerPending;

  RemoteWriteSinkWriter(List<EndpointSender> senders, ProcessingTimeService time,
      int maxBatchSamples, int maxBatchBytes, long maxBufferMillis) {
    this.senders = List.copyOf(senders);
    this.time = time;
    this.maxBatchSamples = maxBatchSamples;
    this.maxBatchBytes = maxBatchBytes;
    this.maxBufferMillis = maxBufferMillis;
    this.batch = new WriteRequestBuffer(Math.min(maxBatchBytes, 1 << 16));
  }

  /**
   * Adds the series to the batch. A series with more samples than {@code maxBatchSamples} is split into
   * consecutive runs of samples, in timestamp order, the first filling the current batch; each run is in
   * a later batch than the previous one and the senders keep batch order, so a receiver still gets the
   * samples of the series in order. A series that fits in one batch is never split.
   */
  @Override
  public void write(TimeSeries series, Context context) throws IOException, InterruptedException {
    for (EndpointSender sender : senders) {
      sender.checkFailure();
    }
    int samples = series.sampleCount();
    int from = 0;
    while (samples - from > maxBatchSamples) {
      // The batch is never full here (a full one is sent at once), so the run has at least one sample.
      int to = from + maxBatchSamples - batch.sampleCount();
      add(series, from, to);
      from = to;
    }
    add(series, from, samples);
  }

  private void add(TimeSeries series, int from, int to) throws IOException, InterruptedException {
    if (!batch.isEmpty() && wouldOverflow(series, from, to)) {
      sendBatch();
    }
    if (batch.isEmpty()) {
      batchStartedAt = time.getCurrentProcessingTime();
      scheduleTimer(batchStartedAt + maxBufferMillis);
    }
    // A part above the byte limit (huge labels) still goes out, alone in its batch.
    batch.add(series, from, to);
    if (batch.sampleCount() >= maxBatchSamples || batch.sizeBytes() >= maxBatchBytes) {
      sendBatch();
    }
  }

  private boolean wouldOverflow(TimeSeries series, int from, int to) {
    return batch.sampleCount() + (to - from) > maxBatchSamples
        || batch.sizeBytes() + WriteRequestBuffer.encodedSize(series, from, to) > maxBatchBytes;
  }

  /**
   * Called before every checkpoint barrier and at end of input: returns once every endpoint accepted
   * every batch so far (or the failure policy dropped it), so the checkpoint waits for delivery.
   */
  @Override
  public void flush(boolean endOfInput) throws IOException, InterruptedException {
    if (!batch.isEmpty()) {
      sendBatch();
    }
    // The senders work in parallel; waiting for each in turn waits for the slowest.
    for (EndpointSender sender : senders) {
      sender.awaitDelivered();
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

  /** Compresses once for every endpoint; blocks while an endpoint's buffer is full (backpressure). */
  private void sendBatch() throws IOException, InterruptedException {
    EncodedBatch encoded = new EncodedBatch(batch.snappyCompressed(), batch.sizeBytes(),
        batch.seriesCount(), batch.sampleCount());
    batch.clear();
    for (EndpointSender sender : senders) {
      sender.submit(encoded);
    }
  }

  /**
   * Stops the senders without waiting for what they hold: Flink flushes before a clean close, and a
   * cancelled or failed task must not block (its job replays from the last checkpoint).
   */
  @Override
  public void close() throws InterruptedException {
    batch.clear();
    for (EndpointSender sender : senders) {
      sender.close();
    }
  }
}
