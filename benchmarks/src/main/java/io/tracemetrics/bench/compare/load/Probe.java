package io.tracemetrics.bench.compare.load;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracemetrics.bench.otlp.RawHttpCall;
import io.tracemetrics.bench.otlp.SendOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Freshness probe: one single-span request every interval, over OTLP/HTTP protobuf on its own thread and
 * connection, ending at send time. The end times of the accepted probe spans, against the time each shows up
 * in the stack's output, give the delay from a span's end to its metric.
 *
 * <p>The probe's series (service {@code bench-probe}, span {@code probe}, SERVER, UNSET) is in no
 * {@link RequestSet}.
 */
public final class Probe implements AutoCloseable {
  public static final String SERVICE = "bench-probe";
  public static final String SPAN_NAME = "probe";

  private final RawHttpCall call;
  private final long intervalNanos;
  private final SplittableRandom random = new SplittableRandom(17);
  private final List<Long> acceptedEndMillis = new ArrayList<>();
  private long accepted;
  private long refused;
  private long unknown;
  private volatile boolean running;
  private Thread thread;

  public Probe(Endpoint endpoint, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    this.call = new RawHttpCall(endpoint.host(), endpoint.httpPort(), OpenLoopLoad.ANSWER_TIMEOUT);
    this.intervalNanos = interval.toNanos();
  }

  /** Starts sending, the first request right away. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("the probe is already running");
    }
    running = true;
    thread = new Thread(this::loop, "freshness-probe");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops sending, after the answer to the request in flight if any. */
  public void stop() throws InterruptedException {
    Thread running;
    synchronized (this) {
      running = thread;
      thread = null;
    }
    if (running != null) {
      this.running = false;
      LockSupport.unpark(running);
      running.join();
    }
  }

  private void loop() {
    long next = System.nanoTime();
    while (running) {
      long endMillis = System.currentTimeMillis();
      SendOutcome outcome = call.send(request(endMillis * 1_000_000L));
      synchronized (this) {
        switch (outcome.verdict()) {
          case ACCEPTED -> {
            accepted++;
            acceptedEndMillis.add(endMillis);
          }
          case REFUSED, NOT_SENT -> refused++;
          case UNKNOWN -> unknown++;
        }
      }
      next += intervalNanos;
      for (long wait = next - System.nanoTime(); wait > 0 && running; wait = next - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  private byte[] request(long endNanos) {
    byte[] traceId = new byte[16];
    byte[] spanId = new byte[8];
    random.nextBytes(traceId);
    random.nextBytes(spanId);
    Span span = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(spanId))
        .setName(SPAN_NAME)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(endNanos - 1_000_000L)
        .setEndTimeUnixNano(endNanos)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_UNSET))
        .build();
    Resource resource = Resource.newBuilder()
        .addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(SERVICE)))
        .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build().toByteArray();
  }

  /** Epoch milliseconds of the end of each accepted probe span, in send order. */
  public synchronized List<Long> acceptedEndMillis() {
    return List.copyOf(acceptedEndMillis);
  }

  public synchronized long acceptedSpans() {
    return accepted;
  }

  public synchronized long refusedSpans() {
    return refused;
  }

  public synchronized long unknownSpans() {
    return unknown;
  }

  /** Stops the probe and closes its connection. */
  @Override
  public void close() throws InterruptedException {
    stop();
    call.close();
  }
}
