package io.tracemetrics.bench.job;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tracemetrics.job.otlp.SpanEvent;
import io.tracemetrics.job.otlp.TracesDecoder;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding alone, per span, on one thread: the job's decoder (protobuf read off the wire) against
 * {@code TracesData.parseFrom}, which the generated-class path must do before it can look at a span (so
 * it is a lower bound of that path's cost). Records like the job benchmark's: 200 HTTP spans with ids and
 * five attributes under a resource with four. Run with {@code scripts/bench-job.sh decode}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(TracesDecodeBenchmark.SPANS)
public class TracesDecodeBenchmark {
  static final int SPANS = 200;

  private final TracesDecoder decoder = TracesDecoder.plain();
  private byte[] record;

  @Setup
  public void encode() {
    SplittableRandom random = new SplittableRandom(1);
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.tomcat-10.0").setVersion("2.9.0"));
    for (int i = 0; i < SPANS; i++) {
      int name = random.nextInt(20);
      long end = now - random.nextLong(60_000_000_000L);
      scope.addSpans(Span.newBuilder()
          .setTraceId(bytes(random, 16)).setSpanId(bytes(random, 8)).setParentSpanId(bytes(random, 8))
          .setName("GET /api/v1/resource-" + name)
          .setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(end - random.nextLong(1_000_000, 500_000_000))
          .setEndTimeUnixNano(end)
          .addAttributes(string("http.request.method", "GET"))
          .addAttributes(string("http.route", "/api/v1/resource-" + name))
          .addAttributes(string("url.path", "/api/v1/resource-" + name + "/" + random.nextInt(100_000)))
          .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
              .setValue(AnyValue.newBuilder().setIntValue(200)))
          .addAttributes(string("server.address", "backend-" + name + ".example.internal"))
          .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_UNSET)));
    }
    Resource resource = Resource.newBuilder()
        .addAttributes(string("service.name", "bench-service"))
        .addAttributes(string("service.version", "1.4.2"))
        .addAttributes(string("deployment.environment.name", "bench"))
        .addAttributes(string("telemetry.sdk.language", "java"))
        .build();
    record = TracesData.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
        .build().toByteArray();
  }

  /** Spans per second through the job's decoder. */
  @Benchmark
  public void jobDecoder(Blackhole out) {
    decoder.decode(record, null, new TracesDecoder.Sink() {
      @Override
      public void accept(SpanEvent span) {
        out.consume(span);
      }

      @Override
      public void rejected(TracesDecoder.Rejection reason, int count) {
        throw new AssertionError(reason);
      }
    });
  }

  /** Spans per second of parsing alone into the generated classes. */
  @Benchmark
  public Object generatedClassesParseOnly() throws Exception {
    return TracesData.parseFrom(record);
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static ByteString bytes(SplittableRandom random, int n) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return ByteString.copyFrom(bytes);
  }
}
