package io.tracemetrics.gateway.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A {@link RecordPublisher} for handler tests: keeps values in memory and answers as told. */
public final class InMemoryPublisher implements RecordPublisher {
  /** How the fake destination answers. */
  public enum Mode { ACKNOWLEDGE, FAIL, NEVER_ANSWER }

  private final int maxValueBytes;
  private final List<byte[]> values = new ArrayList<>();
  private volatile Mode mode = Mode.ACKNOWLEDGE;
  private volatile boolean closed;
  private volatile boolean withoutWaiting;
  private volatile String lastPublishingThread = "";

  public InMemoryPublisher(int maxValueBytes) {
    this.maxValueBytes = maxValueBytes;
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  /** What {@link #publishesWithoutWaiting} answers; default false. */
  public void withoutWaiting(boolean answer) {
    this.withoutWaiting = answer;
  }

  @Override
  public boolean publishesWithoutWaiting(long bytes) {
    return withoutWaiting;
  }

  /** Name of the thread that called {@link #publish} last. */
  public String lastPublishingThread() {
    return lastPublishingThread;
  }

  @Override
  public synchronized CompletableFuture<Void> publish(List<byte[]> batch) {
    lastPublishingThread = Thread.currentThread().getName();
    for (byte[] value : batch) {
      if (value.length > maxValueBytes) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("value too large: " + value.length));
      }
    }
    switch (mode) {
      case FAIL:
        return CompletableFuture.failedFuture(new IllegalStateException("broker down (test)"));
      case NEVER_ANSWER:
        return new CompletableFuture<>();
      default:
        values.addAll(batch);
        return CompletableFuture.completedFuture(null);
    }
  }

  public synchronized List<byte[]> values() {
    return List.copyOf(values);
  }

  @Override
  public int maxValueBytes() {
    return maxValueBytes;
  }

  public boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
