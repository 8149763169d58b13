package io.tracemetrics.bench.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracemetrics.gateway.ingest.ScannedTraces;
import io.tracemetrics.gateway.ingest.TracesScanner;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The validation of a protobuf body, per span, on one thread: the gateway's scan (every field checked in
 * place, nothing built) against {@code ExportTraceServiceRequest.parseFrom}, protobuf-java's generated parser,
 * which checks no less (UTF-8 of strings included) and builds the messages. The request is the load
 * harness's: 500 HTTP server spans with ids and six attributes, one resource with four, about 168 KB. Run
 * with {@code scripts/bench-gateway.sh scan}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(ScanBenchmark.SPANS)
public class ScanBenchmark {
  static final int SPANS = 500;

  private byte[] body;

  @Setup
  public void encode() {
    SplittableRandom random = new SplittableRandom(42);
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.tomcat-10.0").setVersion("2.9.0"));
    for (int i = 0; i < SPANS; i++) {
      int name = random.nextInt(50);
      long start = now - random.nextLong(60_000_000_000L);
      scope.addSpans(Span.newBuilder()
          .setTraceId(bytes(random, 16)).setSpanId(bytes(random, 8)).setParentSpanId(bytes(random, 8))
          .setName("GET /api/v1/resource-" + name)
          .setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start)
          .setEndTimeUnixNano(start + random.nextLong(1_000_000, 500_000_000))
          .addAttributes(string("http.request.method", "GET"))
          .addAttributes(string("http.route", "/api/v1/resource-" + name))
          .addAttributes(string("url.path", "/api/v1/resource-" + name + "/" + random.nextInt(100_000)))
          .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
              .setValue(AnyValue.newBuilder().setIntValue(200)))
          .addAttributes(string("server.address", "service-7.example.internal"))
          .addAttributes(string("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64)"))
          .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_UNSET)));
    }
    Resource resource = Resource.newBuilder()
        .addAttributes(string("service.name", "service-7"))
        .addAttributes(string("service.version", "1.4.7"))
        .addAttributes(string("deployment.environment.name", "bench"))
        .addAttributes(string("telemetry.sdk.language", "java"))
        .build();
    body = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  @Benchmark
  public ScannedTraces scan() throws InvalidProtocolBufferException {
    return TracesScanner.scan(body);
  }

  @Benchmark
  public ExportTraceServiceRequest generatedParser() throws InvalidProtocolBufferException {
    return ExportTraceServiceRequest.parseFrom(body);
  }

  private static ByteString bytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return ByteString.copyFrom(bytes);
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
