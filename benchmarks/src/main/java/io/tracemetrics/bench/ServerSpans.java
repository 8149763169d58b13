package io.tracemetrics.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.SplittableRandom;

/**
 * The spans every benchmark sends: one service's batch as an SDK exports it (the resource, one scope),
 * HTTP-server spans with the usual semantic-convention attributes, ending within the last minute.
 */
public final class ServerSpans {
  private ServerSpans() {}

  /**
   * @param errorOneIn one span in this many answers 500 (0: none)
   */
  public static ResourceSpans batch(SplittableRandom random, int service, int spans, int spanNames, int errorOneIn) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.tomcat-10.0").setVersion("2.9.0"));
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < spans; i++) {
      int name = random.nextInt(spanNames);
      long start = now - random.nextLong(60_000_000_000L);
      boolean error = errorOneIn > 0 && random.nextInt(errorOneIn) == 0;
      scope.addSpans(Span.newBuilder()
          .setTraceId(bytes(random, 16))
          .setSpanId(bytes(random, 8))
          .setParentSpanId(bytes(random, 8))
          .setName("GET /api/v1/resource-" + name)
          .setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start)
          .setEndTimeUnixNano(start + random.nextLong(1_000_000, 500_000_000))
          .addAttributes(string("http.request.method", "GET"))
          .addAttributes(string("http.route", "/api/v1/resource-" + name))
          .addAttributes(string("url.path", "/api/v1/resource-" + name + "/" + random.nextInt(100_000)))
          .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
              .setValue(AnyValue.newBuilder().setIntValue(error ? 500 : 200)))
          .addAttributes(string("server.address", "service-" + service + ".example.internal"))
          .addAttributes(string("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64)"))
          .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_UNSET)));
    }
    Resource resource = Resource.newBuilder()
        .addAttributes(string("service.name", "service-" + service))
        .addAttributes(string("service.version", "1.4." + service))
        .addAttributes(string("deployment.environment.name", "bench"))
        .addAttributes(string("telemetry.sdk.language", "java"))
        .build();
    return ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope).build();
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
