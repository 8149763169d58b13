package io.tracemetrics.gateway.otlp;

import com.google.common.io.BaseEncoding;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The OTLP/JSON mapping on top of protobuf's JSON format. The body is first read by {@link JsonTree}
 * (strict UTF-8, no duplicate keys) and walked by {@link JsonSchemaWalk} (pre-1.0 names transcoded,
 * unknown fields removed and reported), so the parser, which then refuses anything it does not know
 * (an unknown enum name, say), never drops data silently. The one mapping difference that matters is
 * that trace and span ids are hex, not base64. Hex digits are all base64 characters and id lengths (32 and 16) are
 * multiples of 4, so the standard parser accepts them but decodes 24 or 12 wrong bytes; those are
 * re-encoded to recover the hex text and decoded properly. Ids already of the right length (a client that
 * sent base64) are kept.
 */
final class OtlpJson {
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final int TRACE_ID_BYTES = 16;
  private static final int SPAN_ID_BYTES = 8;

  private OtlpJson() {}

  /** A parsed request and what was transcoded or ignored on the way. */
  record Parsed(ExportTraceServiceRequest request, JsonSchemaWalk.Report report) {}

  static ExportTraceServiceRequest parseRequest(byte[] json) throws InvalidProtocolBufferException {
    return parse(json).request();
  }

  static Parsed parse(byte[] json) throws InvalidProtocolBufferException {
    JsonObject tree = JsonTree.read(json);
    JsonSchemaWalk.Report report = JsonSchemaWalk.normalize(tree, ExportTraceServiceRequest.getDescriptor());
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    try {
      PARSER.merge(tree.toString(), request);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidProtocolBufferException("invalid OTLP JSON: " + e.getMessage());
    } catch (RuntimeException e) {
      // The JSON parser reports some malformed input as unchecked exceptions.
      throw new InvalidProtocolBufferException("invalid OTLP JSON: " + e.getMessage());
    }
    for (ResourceSpans.Builder resourceSpans : request.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder scopeSpans : resourceSpans.getScopeSpansBuilderList()) {
        for (Span.Builder span : scopeSpans.getSpansBuilderList()) {
          fixIds(span);
        }
      }
    }
    return new Parsed(request.build(), report);
  }

  private static void fixIds(Span.Builder span) throws InvalidProtocolBufferException {
    span.setTraceId(id(span.getTraceId(), TRACE_ID_BYTES, "traceId"));
    span.setSpanId(id(span.getSpanId(), SPAN_ID_BYTES, "spanId"));
    span.setParentSpanId(id(span.getParentSpanId(), SPAN_ID_BYTES, "parentSpanId"));
    for (Span.Link.Builder link : span.getLinksBuilderList()) {
      link.setTraceId(id(link.getTraceId(), TRACE_ID_BYTES, "links.traceId"));
      link.setSpanId(id(link.getSpanId(), SPAN_ID_BYTES, "links.spanId"));
    }
  }

  static ByteString id(ByteString parsed, int bytes, String field) throws InvalidProtocolBufferException {
    if (parsed.isEmpty() || parsed.size() == bytes) {
      return parsed;
    }
    if (parsed.size() == bytes * 3 / 2) {
      String hex = BaseEncoding.base64().encode(parsed.toByteArray());
      try {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
      } catch (IllegalArgumentException e) {
        throw new InvalidProtocolBufferException(field + " is not hex: " + hex);
      }
    }
    throw new InvalidProtocolBufferException(field + " must be " + (bytes * 2) + " hex digits");
  }

  static byte[] print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }
}
