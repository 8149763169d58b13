package io.tracemetrics.gateway;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/** Hand-built export requests whose spans all have unique ids and names (a prefix plus a counter). */
final class TestTraces {
  private static final AtomicLong NEXT_ID = new AtomicLong(System.nanoTime() & 0xffff_ffffL);

  private TestTraces() {}

  /**
   * A request of {@code resources} services × {@code scopes} scopes × {@code spansPerScope} spans, each span
   * padded with an attribute of {@code padBytes} characters.
   */
  static ExportTraceServiceRequest request(String prefix, int resources, int scopes, int spansPerScope,
      int padBytes) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    String pad = "x".repeat(padBytes);
    for (int r = 0; r < resources; r++) {
      ResourceSpans.Builder rs = request.addResourceSpansBuilder()
          .setResource(Resource.newBuilder().addAttributes(attr("service.name", prefix + "-service-" + r)))
          .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0");
      for (int s = 0; s < scopes; s++) {
        ScopeSpans.Builder ss = rs.addScopeSpansBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("scope-" + s).setVersion("1." + s));
        for (int i = 0; i < spansPerScope; i++) {
          ss.addSpans(span(prefix, pad));
        }
      }
    }
    return request.build();
  }

  static Span span(String prefix, String pad) {
    long id = NEXT_ID.incrementAndGet();
    Span.Builder span = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x7e57L).putLong(id).array()))
        .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
        .setName(prefix + "-span-" + id)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(1_700_000_000_000_000_000L + id)
        .setEndTimeUnixNano(1_700_000_000_000_000_000L + id + 5_000_000)
        .addAttributes(KeyValue.newBuilder().setKey("seq").setValue(AnyValue.newBuilder().setIntValue(id)));
    if (!pad.isEmpty()) {
      span.addAttributes(attr("pad", pad));
    }
    return span.build();
  }

  static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
