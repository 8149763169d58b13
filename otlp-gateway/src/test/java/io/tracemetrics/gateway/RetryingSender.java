package io.tracemetrics.gateway;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A client that keeps exporting small requests of new, unique spans and, like an OTLP exporter, sends the
 * same request again after a retryable answer until it is accepted. It keeps every answer it saw, so a
 * test can tell which spans were acknowledged on the first attempt and which only after retries.
 */
final class RetryingSender implements AutoCloseable {
  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(90);

  /** What one attempt got back. */
  enum Answer { ACCEPTED, RETRYABLE, UNEXPECTED }

  /** One attempt's classified answer plus a description for messages. */
  record Attempt(Answer answer, String description) {}

  /** A request the gateway finally accepted, after {@code attempts} attempts. */
  record Acknowledged(List<SpanView> spans, int attempts) {}

  private final String name;
  private final Function<byte[], Attempt> send;
  private final Thread thread;
  private final List<Acknowledged> acknowledged = new CopyOnWriteArrayList<>();
  private final List<String> unexpected = new CopyOnWriteArrayList<>();
  private final List<String> retryable = new CopyOnWriteArrayList<>();
  private final AtomicInteger retriedThenAccepted = new AtomicInteger();
  private volatile boolean stopping;
  private volatile boolean aborted;

  RetryingSender(String name, Function<byte[], Attempt> send) {
    this.name = name;
    this.send = send;
    this.thread = new Thread(this::run, "retrying-sender-" + name);
  }

  RetryingSender start() {
    thread.start();
    return this;
  }

  int acknowledgedCount() {
    return acknowledged.size();
  }

  List<Acknowledged> acknowledged() {
    return List.copyOf(acknowledged);
  }

  /** Descriptions of the retryable answers seen (e.g. {@code 503 Retry-After: 1}). */
  List<String> retryableAnswers() {
    return List.copyOf(retryable);
  }

  List<String> unexpectedAnswers() {
    return List.copyOf(unexpected);
  }

  /** Requests that got at least one retryable answer and were accepted later. */
  int retriedThenAccepted() {
    return retriedThenAccepted.get();
  }

  @Override
  public String toString() {
    return name + ": " + acknowledged.size() + " accepted (" + retriedThenAccepted + " after retries), "
        + retryable.size() + " retryable answers, unexpected " + unexpected + (thread.isAlive() ? "" : ", stopped");
  }

  private void run() {
    while (!stopping) {
      ExportTraceServiceRequest request = TestTraces.request("outage-" + name, 1, 1, 3, 0);
      byte[] body = request.toByteArray();
      long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
      int attempts = 0;
      while (true) {
        attempts++;
        Attempt attempt = send.apply(body);
        if (attempt.answer() == Answer.ACCEPTED) {
          acknowledged.add(new Acknowledged(spans(body), attempts));
          if (attempts > 1) {
            retriedThenAccepted.incrementAndGet();
          }
          break;
        }
        (attempt.answer() == Answer.RETRYABLE ? retryable : unexpected).add(attempt.description());
        if (aborted || attempt.answer() == Answer.UNEXPECTED || System.nanoTime() - deadline > 0) {
          return;
        }
        backOff();
      }
    }
  }

  private static List<SpanView> spans(byte[] body) {
    try {
      return SpanView.of(TracesData.parseFrom(body));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The gateway is configured to suggest 1 s; a client waits before it retries, as exporters do. */
  private static void backOff() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets the request in progress finish (retrying until accepted), then stops. */
  void finish() {
    stopping = true;
    join(GIVE_UP_AFTER.plusSeconds(10));
    if (thread.isAlive()) {
      throw new AssertionError("sender " + name + " did not finish its last request: " + this);
    }
  }

  /** Stops at once, abandoning the request in progress (for a test that already failed). */
  @Override
  public void close() {
    stopping = true;
    aborted = true;
    thread.interrupt();
    join(Duration.ofSeconds(35));
  }

  private void join(Duration timeout) {
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
