package io.tracemetrics.gateway.ingest;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builds OTLP test data: services with scopes with numbered spans, each span padded to a size. */
public final class TestTraces {
  private TestTraces() {}

  /** {@code services} resources × {@code scopes} scopes × {@code spans} spans of about {@code padding} bytes. */
  public static ExportTraceServiceRequest request(int services, int scopes, int spans, int padding) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    long id = 1;
    for (int s = 0; s < services; s++) {
      ResourceSpans.Builder resource = ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "service-" + s)))
          .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0");
      for (int c = 0; c < scopes; c++) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("scope-" + c).setVersion("1.0"));
        for (int p = 0; p < spans; p++) {
          scope.addSpans(span(id++, "op-" + p, padding));
        }
        resource.addScopeSpans(scope);
      }
      request.addResourceSpans(resource);
    }
    return request.build();
  }

  public static Span span(long id, String name, int padding) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x0102030405060708L).putLong(id).array()))
        .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(1_700_000_000_000_000_000L)
        .setEndTimeUnixNano(1_700_000_000_050_000_000L)
        .addAttributes(attribute("padding", "x".repeat(Math.max(0, padding))))
        .build();
  }

  /** {@code length} random bytes, for trace and span ids. */
  public static ByteString randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return ByteString.copyFrom(bytes);
  }

  public static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /** The request's encoding as the receivers hand it to the ingest path. */
  public static ScannedTraces scanned(ExportTraceServiceRequest request) {
    try {
      return TracesScanner.scan(request.toByteArray());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("the scanner refused a request built with the generated classes", e);
    }
  }

  /** Record values parsed back with the generated classes. */
  public static List<TracesData> parse(List<byte[]> values) {
    List<TracesData> parsed = new ArrayList<>();
    for (byte[] value : values) {
      try {
        parsed.add(TracesData.parseFrom(value));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("a record value does not parse", e);
      }
    }
    return parsed;
  }

  /** Every span of the values, in order, with the service name of its resource and its scope name. */
  public static List<String> spanKeys(List<TracesData> values) {
    List<String> keys = new ArrayList<>();
    for (TracesData data : values) {
      keys.addAll(resourceSpanKeys(data.getResourceSpansList()));
    }
    return keys;
  }

  public static List<String> spanKeys(ExportTraceServiceRequest request) {
    return resourceSpanKeys(request.getResourceSpansList());
  }

  private static List<String> resourceSpanKeys(List<ResourceSpans> resources) {
    List<String> keys = new ArrayList<>();
    for (ResourceSpans resource : resources) {
      String service = resource.getResource().getAttributes(0).getValue().getStringValue();
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          keys.add(service + "/" + scope.getScope().getName() + "/" + resource.getSchemaUrl().length()
              + "/" + ByteBuffer.wrap(span.getSpanId().toByteArray()).getLong());
        }
      }
    }
    return keys;
  }

  /** A span with the fields around it, as a consumer sees it. */
  public record SpanInContext(UnknownFieldSet request, ResourceSpans resource, ScopeSpans scope, Span span) {}

  /** Every span of the request, in order, each with its request's unknown fields, resource and scope. */
  public static List<SpanInContext> spansInContext(ExportTraceServiceRequest request) {
    return spansInContext(request.getUnknownFields(), request.getResourceSpansList());
  }

  /** {@link #spansInContext(ExportTraceServiceRequest)} of a record value. */
  public static List<SpanInContext> spansInContext(TracesData data) {
    return spansInContext(data.getUnknownFields(), data.getResourceSpansList());
  }

  private static List<SpanInContext> spansInContext(UnknownFieldSet top, List<ResourceSpans> resources) {
    List<SpanInContext> spans = new ArrayList<>();
    for (ResourceSpans resource : resources) {
      ResourceSpans resourceShell = resource.toBuilder().clearScopeSpans().build();
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        ScopeSpans scopeShell = scope.toBuilder().clearSpans().build();
        for (Span span : scope.getSpansList()) {
          spans.add(new SpanInContext(top, resourceShell, scopeShell, span));
        }
      }
    }
    return spans;
  }
}
