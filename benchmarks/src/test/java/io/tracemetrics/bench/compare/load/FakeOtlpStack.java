package io.tracemetrics.bench.compare.load;

import com.sun.net.httpserver.HttpServer;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tracemetrics.bench.otlp.GrpcCall;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the stack under test: OTLP/HTTP on the JDK's HTTP server and OTLP/gRPC on grpc-netty. It
 * refuses every {@code refuseOneIn}-th request it gets (HTTP 503 with a body, gRPC UNAVAILABLE), optionally
 * after a delay, and records the series of the spans it accepted by decoding them.
 */
final class FakeOtlpStack implements AutoCloseable {
  private static final MethodDescriptor<byte[], byte[]> EXPORT = TraceServiceGrpc.getExportMethod()
      .toBuilder(new GrpcCall.RawBytes(), new GrpcCall.RawBytes()).build();

  private final int refuseOneIn;
  private final long delayMillis;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong receivedSpans = new AtomicLong();
  private final AtomicLong httpRequests = new AtomicLong();
  private final AtomicLong grpcRequests = new AtomicLong();
  private final Map<SeriesKey, Long> accepted = new ConcurrentHashMap<>();
  private final ExecutorService executor = Executors.newFixedThreadPool(40);
  private final HttpServer http;
  private final Server grpc;

  FakeOtlpStack(int refuseOneIn, long delayMillis) throws IOException {
    this.refuseOneIn = refuseOneIn;
    this.delayMillis = delayMillis;
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    http.setExecutor(executor);
    http.createContext("/v1/traces", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      httpRequests.incrementAndGet();
      boolean ok = take(body);
      byte[] answer = ok ? new byte[0] : "busy".getBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(ok ? 200 : 503, answer.length == 0 ? -1 : answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    http.start();
    ServerServiceDefinition service = ServerServiceDefinition.builder(TraceServiceGrpc.SERVICE_NAME)
        .addMethod(EXPORT, ServerCalls.asyncUnaryCall((body, observer) -> {
          grpcRequests.incrementAndGet();
          if (take(body)) {
            observer.onNext(new byte[0]);
            observer.onCompleted();
          } else {
            observer.onError(Status.UNAVAILABLE.withDescription("busy").asRuntimeException());
          }
        }))
        .build();
    grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).executor(executor)
        .addService(service).build().start();
  }

  Endpoint endpoint() {
    return new Endpoint("127.0.0.1", http.getAddress().getPort(), grpc.getPort());
  }

  private boolean take(byte[] body) {
    long n = received.incrementAndGet();
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    List<SeriesKey> spans = RequestSetTest.decode(request);
    receivedSpans.addAndGet(spans.size());
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (refuseOneIn > 0 && n % refuseOneIn == 0) {
      return false;
    }
    spans.forEach(key -> accepted.merge(key, 1L, Long::sum));
    return true;
  }

  long receivedSpans() {
    return receivedSpans.get();
  }

  long httpRequests() {
    return httpRequests.get();
  }

  long grpcRequests() {
    return grpcRequests.get();
  }

  Map<SeriesKey, Long> accepted() {
    return Map.copyOf(accepted);
  }

  @Override
  public void close() throws InterruptedException {
    http.stop(0);
    grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    executor.shutdownNow();
  }
}
