package io.tracemetrics.gateway;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a span says, in one comparable shape whether it comes from the OpenTelemetry SDK (what a client
 * sent) or from a Kafka record (what arrived): ids as hex, enums as their OTLP numbers, attribute values as
 * text, and the resource and scope it was sent under.
 */
record SpanView(
    Map<String, String> resource,
    String scope,
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    int kind,
    long startNanos,
    long endNanos,
    Map<String, String> attributes,
    List<String> events,
    int statusCode,
    String statusMessage) {

  private static final HexFormat HEX = HexFormat.of();

  /** Every span of a record, each with its resource and scope. */
  static List<SpanView> of(TracesData data) {
    List<SpanView> views = new ArrayList<>();
    for (ResourceSpans rs : data.getResourceSpansList()) {
      Map<String, String> resource = attributes(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        String scope = ss.getScope().getName() + "@" + ss.getScope().getVersion();
        for (Span span : ss.getSpansList()) {
          views.add(of(resource, scope, span));
        }
      }
    }
    return views;
  }

  static SpanView of(Map<String, String> resource, String scope, Span span) {
    List<String> events = span.getEventsList().stream()
        .map(e -> e.getName() + "@" + e.getTimeUnixNano() + attributes(e.getAttributesList()))
        .toList();
    return new SpanView(resource, scope, HEX.formatHex(span.getTraceId().toByteArray()),
        HEX.formatHex(span.getSpanId().toByteArray()), HEX.formatHex(span.getParentSpanId().toByteArray()),
        span.getName(), span.getKindValue(), span.getStartTimeUnixNano(), span.getEndTimeUnixNano(),
        attributes(span.getAttributesList()), events, span.getStatus().getCodeValue(),
        span.getStatus().getMessage());
  }

  /** What the SDK handed to its exporter, in the OTLP mapping the exporter applies. */
  static SpanView of(SpanData span) {
    String parent = span.getParentSpanContext().isValid() ? span.getParentSpanId() : "";
    String scope = span.getInstrumentationScopeInfo().getName() + "@"
        + nullToEmpty(span.getInstrumentationScopeInfo().getVersion());
    List<String> events = new ArrayList<>();
    for (EventData event : span.getEvents()) {
      events.add(event.getName() + "@" + event.getEpochNanos() + attributes(event.getAttributes()));
    }
    return new SpanView(attributes(span.getResource().getAttributes()), scope, span.getTraceId(),
        span.getSpanId(), parent, span.getName(), span.getKind().ordinal() + 1, span.getStartEpochNanos(),
        span.getEndEpochNanos(), attributes(span.getAttributes()), events, statusCode(span),
        span.getStatus().getDescription());
  }

  static Map<String, String> attributes(List<KeyValue> attributes) {
    Map<String, String> map = new TreeMap<>();
    for (KeyValue kv : attributes) {
      map.put(kv.getKey(), text(kv.getValue()));
    }
    return map;
  }

  private static Map<String, String> attributes(Attributes attributes) {
    Map<String, String> map = new TreeMap<>();
    attributes.forEach((AttributeKey<?> key, Object value) -> map.put(key.getKey(), String.valueOf(value)));
    return map;
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(SpanView::text).toList().toString();
      default -> value.toString();
    };
  }

  private static int statusCode(SpanData span) {
    return switch (span.getStatus().getStatusCode()) {
      case UNSET -> 0;
      case OK -> 1;
      case ERROR -> 2;
    };
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
