package io.tracemetrics.job.red;

import io.tracemetrics.job.otlp.SpanEvent;
import io.tracemetrics.job.otlp.SpanRecordDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums spans per (service, span name, series, window) in the source's chain, so that counts, not spans,
 * cross the network to the series limit and the aggregator: per span, the work after decoding is one
 * hash-map update.
 *
 * <p>Every sum is emitted before the next watermark is passed on, so the aggregator sees each span's
 * counts between the same two watermarks as it would have seen the span: whether a span is late, and so
 * every emitted value, is the same as without this stage. Sums are also emitted before a checkpoint
 * barrier, which is why this operator has no state of its own, at the end of a bounded input, and when
 * {@code maxBuffered} sums are open, which bounds its memory when the watermark stands still.
 */
public final class SpanPreAggregator extends AbstractStreamOperator<WindowCounts>
    implements OneInputStreamOperator<SpanEvent, WindowCounts> {
  private static final long serialVersionUID = 1L;

  /** Open sums at most, by default: a few MB; far more than the series of a typical watermark interval. */
  public static final int DEFAULT_MAX_BUFFERED = 20_000;

  private final long windowMillis;
  private final LatencyBuckets buckets;
  private final int maxBuffered;
  private transient Map<Slot, long[]> sums;

  /** The sums' key: a span's series and window. */
  private record Slot(String service, String spanName, SeriesKey series, long windowEnd) {}

  public SpanPreAggregator(Duration window, LatencyBuckets buckets, int maxBuffered) {
    if (window.toMillis() <= 0) {
      throw new IllegalArgumentException("the window must be at least 1 ms: " + window);
    }
    if (maxBuffered < 1) {
      throw new IllegalArgumentException("at least one sum must fit: " + maxBuffered);
    }
    this.windowMillis = window.toMillis();
    this.buckets = buckets;
    this.maxBuffered = maxBuffered;
  }

  @Override
  public void open() throws Exception {
    super.open();
    sums = new HashMap<>();
  }

  @Override
  public void processElement(StreamRecord<SpanEvent> record) {
    SpanEvent span = record.getValue();
    Slot slot = new Slot(LabelValues.bounded(span.serviceName()), LabelValues.bounded(span.spanName()),
        SeriesKey.of(span), WindowCounts.windowEnd(span.endTimeMillis(), windowMillis));
    long[] counts = sums.get(slot);
    if (counts == null) {
      if (sums.size() >= maxBuffered) {
        emitAll();
      }
      counts = buckets.newCounts();
      sums.put(slot, counts);
    }
    buckets.add(counts, span.durationNanos());
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    emitAll();
    super.processWatermark(mark);
  }

  /**
   * Also where the source's dead-letter copies are awaited: chained to the source, this runs in its task
   * after every record before the barrier was deserialized and before the barrier leaves the task, so no
   * checkpoint completes with the offset of a record whose copy could still be lost.
   */
  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    emitAll();
    SpanRecordDeserializer.awaitDeadLetters();
  }

  @Override
  public void finish() throws Exception {
    emitAll();
    super.finish();
  }

  /** Open sums right now; for tests. */
  int buffered() {
    return sums.size();
  }

  private void emitAll() {
    for (Map.Entry<Slot, long[]> entry : sums.entrySet()) {
      Slot slot = entry.getKey();
      output.collect(new StreamRecord<>(
          new WindowCounts(slot.service(), slot.spanName(), slot.series(), slot.windowEnd(), entry.getValue()),
          slot.windowEnd() - 1));
    }
    sums.clear();
  }
}
