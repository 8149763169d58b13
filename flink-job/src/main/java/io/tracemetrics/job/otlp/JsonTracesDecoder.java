package io.tracemetrics.job.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;

/**
 * The generated-class path of {@link TracesDecoder}: OTLP JSON records ({@code otlp_json}), and any
 * {@code TracesData} message, into {@link SpanEvent}s. OTLP JSON is rare on the wire (the gateway writes
 * protobuf), so it takes protobuf's JSON parser after {@link JsonNesting} bounded its depth; the spans of a
 * message are what the wire decoder must match span for span ({@link TracesDecoder#decodeReference}).
 */
final class JsonTracesDecoder implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * JSON nesting refused before parsing: Gson recurses per level. TracesData within protobuf's 100 levels
   * of messages needs at most about 150 (an array value takes 3 JSON levels per 2 messages).
   */
  static final int MAX_JSON_DEPTH = 200;

  private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

  private final Dimensions dimensions;
  private final boolean excludeSpanKind;
  private final boolean excludeStatusCode;

  JsonTracesDecoder(Dimensions dimensions, boolean excludeSpanKind, boolean excludeStatusCode) {
    this.dimensions = dimensions;
    this.excludeSpanKind = excludeSpanKind;
    this.excludeStatusCode = excludeStatusCode;
  }

  /** Decodes a record value that is OTLP JSON, or refuses it whole. */
  void decode(byte[] value, String region, TracesDecoder.Sink out) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(value)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      out.rejectedRecord(TracesDecoder.Rejection.INVALID_UTF8, "JSON that is not UTF-8");
      return;
    }
    try {
      JsonNesting.check(text, MAX_JSON_DEPTH);
    } catch (WireReader.Malformed e) {
      out.rejectedRecord(e.reason(), e.getMessage());
      return;
    }
    TracesData traces;
    try {
      TracesData.Builder builder = TracesData.newBuilder();
      JSON.merge(text, builder);
      traces = builder.build();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // The JSON parser reports some malformed input as unchecked exceptions.
      out.rejectedRecord(TracesDecoder.Rejection.INVALID_JSON, TracesDecoder.detail(e));
      return;
    }
    decodeMessages(traces, region, out);
  }

  /** The spans of a parsed message: what the wire decoder must match span for span. */
  void decodeMessages(TracesData traces, String region, TracesDecoder.Sink out) {
    int spans = 0;
    int spansWithTime = 0;
    for (ResourceSpans resourceSpans : traces.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          spans++;
          if (span.getStartTimeUnixNano() != 0 || span.getEndTimeUnixNano() != 0) {
            spansWithTime++;
          }
        }
      }
    }
    String notTraces = TracesDecoder.notTraces(traces.getResourceSpansCount(), spans, spansWithTime);
    if (notTraces != null) {
      out.rejectedRecord(TracesDecoder.Rejection.NOT_TRACES, notTraces);
      return;
    }
    for (ResourceSpans resourceSpans : traces.getResourceSpansList()) {
      Resource resource = resourceSpans.getResource();
      String service = stringAttribute(resource, TracesDecoder.SERVICE_NAME, TracesDecoder.UNKNOWN_SERVICE);
      String spanRegion = region != null ? region : stringAttribute(resource, TracesDecoder.CLOUD_REGION, "");
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          long start = span.getStartTimeUnixNano();
          long end = span.getEndTimeUnixNano();
          if (end <= 0 || start <= 0 || end < start) {
            out.rejected(TracesDecoder.Rejection.INVALID_TIMES, 1);
            continue;
          }
          long endMillis = end / 1_000_000L;
          if (endMillis < TracesDecoder.EARLIEST_END_MILLIS
              || endMillis > System.currentTimeMillis() + TracesDecoder.MAX_AHEAD_MILLIS) {
            out.rejected(TracesDecoder.Rejection.ABSURD_TIME, 1);
            continue;
          }
          out.accept(
              new SpanEvent(
                  service,
                  span.getName(),
                  excludeSpanKind ? SpanEvent.EXCLUDED : TracesDecoder.enumNumber(span.getKindValue()),
                  excludeStatusCode ? SpanEvent.EXCLUDED : TracesDecoder.enumNumber(span.getStatus().getCodeValue()),
                  endMillis,
                  end - start,
                  spanRegion,
                  dimensions.extract(span.getAttributesList(), resource.getAttributesList())));
        }
      }
    }
  }

  private static String stringAttribute(Resource resource, String key, String fallback) {
    for (KeyValue attribute : resource.getAttributesList()) {
      if (attribute.getKey().equals(key)) {
        AnyValue value = attribute.getValue();
        if (value.hasStringValue() && !value.getStringValue().isEmpty()) {
          return value.getStringValue();
        }
      }
    }
    return fallback;
  }
}
