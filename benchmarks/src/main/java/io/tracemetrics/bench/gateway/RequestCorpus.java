package io.tracemetrics.bench.gateway;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pre-encoded export requests shaped like an SDK's batches: one service per request (the resource), one
 * scope, HTTP-server-like spans with the usual semantic-convention attributes. Encoded once, before the
 * clock starts, so the load generator spends no CPU on protobuf.
 */
final class RequestCorpus {
  private final List<byte[]> requests;
  private final int spansPerRequest;

  private RequestCorpus(List<byte[]> requests, int spansPerRequest) {
    this.requests = requests;
    this.spansPerRequest = spansPerRequest;
  }

  static RequestCorpus build(LoadOptions options) {
    SplittableRandom random = new SplittableRandom(42);
    List<byte[]> requests = new ArrayList<>(options.distinctRequests());
    for (int r = 0; r < options.distinctRequests(); r++) {
      requests.add(request(r % options.services(), options, random).toByteArray());
    }
    return new RequestCorpus(List.copyOf(requests), options.spansPerRequest());
  }

  private static ExportTraceServiceRequest request(int service, LoadOptions options, SplittableRandom random) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.tomcat-10.0").setVersion("2.9.0"));
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < options.spansPerRequest(); i++) {
      int name = random.nextInt(options.spanNames());
      long start = now - random.nextLong(60_000_000_000L);
      scope.addSpans(Span.newBuilder()
          .setTraceId(randomBytes(random, 16))
          .setSpanId(randomBytes(random, 8))
          .setParentSpanId(randomBytes(random, 8))
          .setName("GET /api/v1/resource-" + name)
          .setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start)
          .setEndTimeUnixNano(start + random.nextLong(1_000_000, 500_000_000))
          .addAttributes(attr("http.request.method", "GET"))
          .addAttributes(attr("http.route", "/api/v1/resource-" + name))
          .addAttributes(attr("url.path", "/api/v1/resource-" + name + "/" + random.nextInt(100_000)))
          .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
              .setValue(AnyValue.newBuilder().setIntValue(random.nextInt(20) == 0 ? 500 : 200)))
          .addAttributes(attr("server.address", "service-" + service + ".example.internal"))
          .addAttributes(attr("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64)"))
          .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_UNSET)));
    }
    Resource resource = Resource.newBuilder()
        .addAttributes(attr("service.name", "service-" + service))
        .addAttributes(attr("service.version", "1.4." + service))
        .addAttributes(attr("deployment.environment.name", "bench"))
        .addAttributes(attr("telemetry.sdk.language", "java"))
        .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
        .build();
  }

  byte[] request(int index) {
    return requests.get(Math.floorMod(index, requests.size()));
  }

  int size() {
    return requests.size();
  }

  int spansPerRequest() {
    return spansPerRequest;
  }

  double averageBytes() {
    return requests.stream().mapToInt(b -> b.length).average().orElse(0);
  }

  private static ByteString randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return ByteString.copyFrom(bytes);
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
