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
import java.util.SplittableRandom;

/**
 * What the benchmark's spans look like: HTTP server and client spans with random ids and the usual
 * semantic-convention attributes, under a resource with a few attributes, as an instrumented service
 * exports them. Span name i is {@code GET /api/v1/resource-i}; every fourth name is a client span.
 */
final class SpanShape {
  static final String SPAN_NAME_PREFIX = "GET /api/v1/resource-";

  private SpanShape() {}

  static String spanName(int name) {
    return SPAN_NAME_PREFIX + name;
  }

  static Span.SpanKind kind(int name) {
    return name % 4 == 0 ? Span.SpanKind.SPAN_KIND_CLIENT : Span.SpanKind.SPAN_KIND_SERVER;
  }

  /** One span of name {@code name}, ending at {@code endNanos}. */
  static Span span(SplittableRandom random, int name, boolean error, long endNanos, long durationNanos) {
    String route = spanName(name).substring(4);
    return Span.newBuilder()
        .setTraceId(randomBytes(random, 16))
        .setSpanId(randomBytes(random, 8))
        .setParentSpanId(randomBytes(random, 8))
        .setName(spanName(name))
        .setKind(kind(name))
        .setStartTimeUnixNano(endNanos - durationNanos)
        .setEndTimeUnixNano(endNanos)
        .addAttributes(attribute("http.request.method", "GET"))
        .addAttributes(attribute("http.route", route))
        .addAttributes(attribute("url.path", route + "/" + random.nextInt(100_000)))
        .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
            .setValue(AnyValue.newBuilder().setIntValue(error ? 500 : 200)))
        .addAttributes(attribute("server.address", "backend-" + name + ".example.internal"))
        .setStatus(Status.newBuilder()
            .setCode(error ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET))
        .build();
  }

  /** A span duration between 1 ms and about 1 s, most of them short. */
  static long durationNanos(SplittableRandom random) {
    double millis = Math.exp(random.nextDouble() * Math.log(1000));
    return Math.round(millis * 1_000_000d);
  }

  /** A record value: the spans of one service as one OTLP TracesData. */
  static byte[] record(String service, Iterable<Span> spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.tomcat-10.0").setVersion("2.9.0"))
        .addAllSpans(spans);
    Resource resource = Resource.newBuilder()
        .addAttributes(attribute("service.name", service))
        .addAttributes(attribute("service.version", "1.4.2"))
        .addAttributes(attribute("deployment.environment.name", "bench"))
        .addAttributes(attribute("telemetry.sdk.language", "java"))
        .build();
    return TracesData.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  private static ByteString randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return ByteString.copyFrom(bytes);
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
