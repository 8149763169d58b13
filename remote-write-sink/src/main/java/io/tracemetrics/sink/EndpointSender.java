package io.tracemetrics.sink;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one endpoint's batches from its own thread, one request at a time and in submission order (so
 * the samples of a series are never reordered), with at most {@code capacity} batches waiting or being sent.
 *
 * <p>The task thread hands batches over with {@link #submit}, which blocks while the endpoint has
 * {@code capacity} batches: that is the backpressure, and the bound on memory. A slow or unreachable
 * endpoint therefore delays the others only once its own buffer is full. {@link #awaitDelivered} (the
 * writer's flush) returns when every submitted batch was delivered or dropped by the failure policy.
 *
 * <p>When the policy says to fail, the sender stops and keeps the exception; the next {@link #submit},
 * {@link #awaitDelivered} or {@link #checkFailure} in the task thread throws it, which fails the task.
 */
final class EndpointSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointSender.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final RemoteWriteClient client;
  private final String name;
  private final int capacity;
  /** Guarded by {@code this}. The head is the batch being sent: it leaves only once delivered. */
  private final ArrayDeque<EncodedBatch> queue = new ArrayDeque<>();
  private final Thread thread;
  private volatile Throwable failure;
  private boolean closed;

  private EndpointSender(RemoteWriteClient client, String name, int capacity) {
    this.client = client;
    this.name = name;
    this.capacity = capacity;
    this.thread = new Thread(this::run, "remote-write-sender-" + name);
    // A task manager must never wait for a sender of a cancelled task to exit.
    thread.setDaemon(true);
  }

  /** Starts the sender's thread. */
  static EndpointSender start(RemoteWriteClient client, String name, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    EndpointSender sender = new EndpointSender(client, name, capacity);
    sender.thread.start();
    return sender;
  }

  /** Queues a batch, blocking while {@code capacity} batches are waiting or being sent. */
  synchronized void submit(EncodedBatch batch) throws IOException, InterruptedException {
    while (queue.size() >= capacity && failure == null && !closed) {
      wait();
    }
    throwIfFailed();
    if (closed) {
      throw new IllegalStateException("sender " + name + " is closed");
    }
    queue.addLast(batch);
    notifyAll();
  }

  /** Returns once every batch submitted so far was delivered or dropped by the failure policy. */
  synchronized void awaitDelivered() throws IOException, InterruptedException {
    while (!queue.isEmpty() && failure == null && !closed) {
      wait();
    }
    throwIfFailed();
  }

  /** Throws the sender's failure, if it stopped on one; otherwise returns at once (no lock taken). */
  void checkFailure() throws IOException {
    if (failure != null) {
      throwIfFailed();
    }
  }

  /** Batches waiting or being sent. */
  synchronized int queuedBatches() {
    return queue.size();
  }

  /** The thread's CPU time is the sender's cost; exposed for benchmarks that measure it. */
  Thread thread() {
    return thread;
  }

  private void throwIfFailed() throws IOException {
    Throwable cause = failure;
    if (cause != null) {
      // A new exception: the sender's own stack trace stays as its cause.
      throw new RemoteWriteException("remote write to " + name + " failed: " + cause.getMessage(), cause);
    }
  }

  private void run() {
    try {
      EncodedBatch batch;
      while ((batch = next()) != null) {
        client.send(batch);
        delivered();
      }
    } catch (InterruptedException e) {
      if (!isClosed()) {
        fail(e);
      }
    } catch (Throwable t) { // whatever stops the sender must reach the task thread
      fail(t);
    }
  }

  private synchronized EncodedBatch next() throws InterruptedException {
    while (queue.isEmpty() && !closed) {
      wait();
    }
    return closed ? null : queue.peekFirst();
  }

  private synchronized void delivered() {
    queue.removeFirst();
    notifyAll();
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private synchronized void fail(Throwable t) {
    failure = t;
    notifyAll();
    LOG.error("Remote write sender for {} stopped; the task fails on its next record, timer or flush",
        name, t);
  }

  /**
   * Stops the thread without delivering what is queued: Flink flushes before a clean close, and after a
   * failure or cancellation the job replays from its last checkpoint.
   */
  @Override
  public void close() throws InterruptedException {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    thread.interrupt(); // ends a request or a retry pause at once
    thread.join(CLOSE_TIMEOUT.toMillis());
    if (thread.isAlive()) {
      LOG.warn("Remote write sender for {} did not stop within {}", name, CLOSE_TIMEOUT);
    }
  }
}
