package io.tracemetrics.gateway.ingest;

import static io.tracemetrics.gateway.ingest.Wire.bytes;
import static io.tracemetrics.gateway.ingest.Wire.cat;
import static io.tracemetrics.gateway.ingest.Wire.fixed32;
import static io.tracemetrics.gateway.ingest.Wire.fixed64;
import static io.tracemetrics.gateway.ingest.Wire.group;
import static io.tracemetrics.gateway.ingest.Wire.len;
import static io.tracemetrics.gateway.ingest.Wire.request;
import static io.tracemetrics.gateway.ingest.Wire.resource;
import static io.tracemetrics.gateway.ingest.Wire.resourceSpans;
import static io.tracemetrics.gateway.ingest.Wire.scope;
import static io.tracemetrics.gateway.ingest.Wire.scopeSpans;
import static io.tracemetrics.gateway.ingest.Wire.span;
import static io.tracemetrics.gateway.ingest.Wire.spanFields;
import static io.tracemetrics.gateway.ingest.Wire.string;
import static io.tracemetrics.gateway.ingest.Wire.tag;
import static io.tracemetrics.gateway.ingest.Wire.varint;
import static io.tracemetrics.gateway.ingest.Wire.varintField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TracesScannerTest {
  private static final byte[] SPAN = span(spanFields("GET /"));
  private static final byte[] SCOPE_WITH_SPAN = scopeSpans(SPAN);
  private static final byte[] BAD_UTF8 = bytes(0x61, 0xc3, 0x28);
  // KeyValue{key: "k", value: [ "x", {inner: true} ]}
  private static final byte[] NESTED_ATTRIBUTE = len(9, string(1, "k"), len(2, len(5,
      len(1, string(1, "x")),
      len(1, len(6, len(1, string(1, "inner"), len(2, varintField(2, 1))))))));

  static Stream<Arguments> validRequests() {
    return Stream.of(
        Arguments.of("empty body", new byte[0], 0),
        Arguments.of("one span", request(resourceSpans(resource("a"), scopeSpans(scope("s"), SPAN))), 1),
        Arguments.of("resource and scope without spans",
            request(resourceSpans(resource("a"), scopeSpans(scope("s"))), resourceSpans()), 0),
        Arguments.of("two resources, two scopes each, three spans each", request(
            resourceSpans(resource("a"), scopeSpans(scope("s1"), SPAN, SPAN, SPAN), scopeSpans(scope("s2"), SPAN, SPAN, SPAN)),
            resourceSpans(resource("b"), scopeSpans(scope("s1"), SPAN, SPAN, SPAN), scopeSpans(scope("s2"), SPAN, SPAN, SPAN))), 12),
        Arguments.of("unknown fields of every wire type at every level", request(
            varintField(99, 7),
            resourceSpans(
                len(50, bytes(1, 2, 3)),
                len(1, len(1, string(1, "service.name"), len(2, string(1, "a"), fixed32(20, 1)), fixed64(9, 5)),
                    fixed32(9, 3)),
                scopeSpans(fixed64(77, 1), len(1, string(1, "s"), group(20, varintField(1, 1), group(2, fixed32(3, 4)))),
                    span(spanFields("GET /"), varintField(100, 1), varintField(100, 2),
                        len(101, varint(1), varint(300), varint(1L << 40)), group(102, string(1, "x")),
                        len(11, fixed64(1, 5), string(2, "event"), varintField(30, 1)),
                        len(13, len(1, new byte[16]), len(2, new byte[8]), fixed64(40, 1)),
                        len(15, string(2, "ok"), varintField(3, 1), string(9, "future status field"))))),
            fixed32(98, 1)), 1),
        Arguments.of("fields in unusual order, repeated singular fields", request(resourceSpans(
            scopeSpans(span(fixed64(8, 2), fixed64(7, 1), string(5, "b"), string(5, "a")), scope("s")),
            resource("a"), string(3, "https://schema"), resource("a-again"))), 1),
        Arguments.of("non-minimal tag and length varints",
            cat(bytes(0x8a, 0x00), bytes(0x80 | SCOPE_WITH_SPAN.length, 0x00), SCOPE_WITH_SPAN), 1),
        Arguments.of("negative int64 and int32 values (ten-byte varints)", request(resourceSpans(scopeSpans(span(
            spanFields("n"), len(9, string(1, "k"), varintField(3, -1), len(2, varintField(3, Long.MIN_VALUE))))))), 1),
        Arguments.of("nested arrays and key-value lists in attributes", request(resourceSpans(scopeSpans(span(
            spanFields("n"), NESTED_ATTRIBUTE)))), 1),
        Arguments.of("unknown fields numbered from 2^28 (tags above the int range)", request(varintField(1 << 28, 1),
            resourceSpans(scopeSpans(span(spanFields("n"), fixed32((1 << 29) - 1, 7))))), 1),
        Arguments.of("non-ASCII UTF-8 strings", request(resourceSpans(resource("café-☕-😀"),
            scopeSpans(span(spanFields("résumé ✓ 😀"))))), 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validRequests")
  void acceptsWhatTheGeneratedParserAcceptsAndCountsTheSameSpans(String name, byte[] body, long spans)
      throws Exception {
    ScannedTraces scanned = TracesScanner.scan(body);

    assertThat(scanned.spanCount()).isEqualTo(spans).isEqualTo(parsedSpanCount(body));
    assertThat(scanned.bytes()).isSameAs(body);
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        // name, body, part of the message, whether protobuf's generated parser refuses it as well
        Arguments.of("garbage (length past the end)", bytes(0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01), "past the end", true),
        Arguments.of("text", "hello, world".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "", true),
        Arguments.of("field number 0", bytes(0x00, 0x01), "field number 0", true),
        Arguments.of("wire type 6", cat(tag(5, 6), bytes(1)), "invalid wire type 6", true),
        Arguments.of("wire type 7", cat(tag(5, 7), bytes(1)), "invalid wire type 7", true),
        Arguments.of("end-group without start", tag(5, 4), "without a matching start", true),
        Arguments.of("group never closed", cat(tag(5, 3), varintField(1, 1)), "not closed", true),
        Arguments.of("mismatched end-group", cat(tag(5, 3), tag(6, 4)), "inside the group of field 5", true),
        Arguments.of("varint over 10 bytes", cat(tag(40, 0), bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)),
            "longer than 64 bits", true),
        // protobuf-java takes this (it stops at the 10th byte); Go's and C++'s parsers refuse it.
        Arguments.of("varint over 64 bits in 10 bytes", cat(tag(40, 0), bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02)),
            "longer than 64 bits", false),
        Arguments.of("truncated fixed64 in a span", request(resourceSpans(scopeSpans(len(2, tag(7, 1), bytes(1, 2, 3))))),
            "8-byte value", true),
        Arguments.of("span running past its scope", request(resourceSpans(scopeSpans(cat(tag(2, 2), varint(200), SPAN)))),
            "past the end", true),
        Arguments.of("span name running past the span", request(resourceSpans(scopeSpans(
            span(cat(tag(5, 2), varint(20), bytes('a', 'b'))), SPAN, SPAN))), "past the end", true),
        Arguments.of("invalid UTF-8 in a span name", request(resourceSpans(scopeSpans(SPAN, span(len(5, BAD_UTF8))))),
            "Span.name (5) is not valid UTF-8 (at resource_spans[0].scope_spans[0].spans[1]", true),
        Arguments.of("invalid UTF-8 in service.name", request(resourceSpans(scopeSpans(SPAN)),
            resourceSpans(len(1, len(1, string(1, "service.name"), len(2, len(1, BAD_UTF8)))))),
            "AnyValue.string_value (1) is not valid UTF-8 (at resource_spans[1]", true),
        Arguments.of("invalid UTF-8 deep in an attribute value", request(resourceSpans(scopeSpans(span(len(9,
            string(1, "k"), len(2, len(6, len(1, len(1, BAD_UTF8))))))))), "KeyValue.key (1) is not valid UTF-8", true),
        Arguments.of("invalid UTF-8 in a schema URL", request(resourceSpans(len(3, BAD_UTF8))),
            "ResourceSpans.schema_url (3) is not valid UTF-8", true),
        Arguments.of("resource_spans as a varint", varintField(1, 5),
            "ExportTraceServiceRequest.resource_spans (1) has the wire type varint", false),
        Arguments.of("resource as fixed32", request(resourceSpans(fixed32(1, 5))),
            "ResourceSpans.resource (1) has the wire type fixed32", false),
        Arguments.of("spans as fixed64", request(resourceSpans(scopeSpans(fixed64(2, 5)))),
            "ScopeSpans.spans (2) has the wire type fixed64", false),
        Arguments.of("span name as a varint", request(resourceSpans(scopeSpans(span(varintField(5, 1))))),
            "Span.name (5) has the wire type varint", false),
        Arguments.of("start time as a varint", request(resourceSpans(scopeSpans(span(varintField(7, 1))))),
            "Span.start_time_unix_nano (7) has the wire type varint", false),
        Arguments.of("kind length-delimited", request(resourceSpans(scopeSpans(span(len(6, bytes(2)))))),
            "Span.kind (6) has the wire type length-delimited", false),
        Arguments.of("attribute value as a varint", request(resourceSpans(scopeSpans(span(len(9, string(1, "k"),
            varintField(2, 1)))))), "KeyValue.value (2) has the wire type varint", false),
        Arguments.of("known field as a group", request(resourceSpans(scopeSpans(span(group(5))))),
            "Span.name (5) has the wire type start-group", false),
        Arguments.of("reserved instrumentation_library_spans (OTLP < 0.19)",
            request(resourceSpans(resource("a"), len(1000, scope("s"), SPAN))), "ResourceSpans field 1000 (instrumentation_library_spans of OTLP 0.15-0.18; send scope_spans (2)) is reserved", false),
        Arguments.of("reserved deprecated status code", request(resourceSpans(scopeSpans(span(len(15, varintField(1, 2)))))),
            "Status field 1 (deprecated_code of OTLP 0.7-0.18; send code (3)) is reserved", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void refusesMalformedInputSayingWhatAndWhere(String name, byte[] body, String message, boolean parserRefuses) {
    assertThatThrownBy(() -> TracesScanner.scan(body))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining(message);
    assertThat(catchThrowable(() -> ExportTraceServiceRequest.parseFrom(body)) != null)
        .as("the generated parser refuses it too").isEqualTo(parserRefuses);
  }

  @Test
  void refusesEveryTruncationOfAValidRequestLikeTheGeneratedParser() throws Exception {
    byte[] body = request(resourceSpans(resource("svc"), string(3, "https://s"),
        scopeSpans(scope("s"), SPAN, span(spanFields("é"), len(9, string(1, "k"), len(2, varintField(3, -5)))))));
    assertThat(TracesScanner.scan(body).spanCount()).isEqualTo(2);

    for (int length = 1; length < body.length; length++) {
      byte[] prefix = Arrays.copyOf(body, length);
      assertThatThrownBy(() -> TracesScanner.scan(prefix)).as("prefix of %d bytes", length)
          .isInstanceOf(InvalidProtocolBufferException.class);
      assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(prefix)).as("parser, prefix of %d bytes", length)
          .isInstanceOf(InvalidProtocolBufferException.class);
    }
  }

  @Test
  void nestingLimitIsTheGeneratedParsersOne() {
    int accepted = 0;
    for (int levels = 40; levels <= 60; levels++) {
      byte[] body = nestedArrays(levels).toByteArray();
      boolean parserAccepts = catchThrowable(() -> ExportTraceServiceRequest.parseFrom(body)) == null;
      boolean scannerAccepts = catchThrowable(() -> TracesScanner.scan(body)) == null;
      assertThat(scannerAccepts).as("%d levels of arrays", levels).isEqualTo(parserAccepts);
      accepted += parserAccepts ? 1 : 0;
    }
    assertThat(accepted).as("the range covers the limit").isBetween(1, 20);
  }

  @Test
  void largeRequestIsCountedWithoutLimits() throws Exception {
    ExportTraceServiceRequest request = TestTraces.request(3, 4, 2_000, 20);

    assertThat(TracesScanner.scan(request.toByteArray()).spanCount()).isEqualTo(24_000);
  }

  private static ExportTraceServiceRequest nestedArrays(int levels) {
    AnyValue value = AnyValue.newBuilder().setStringValue("leaf").build();
    for (int i = 0; i < levels; i++) {
      value = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(value)).build();
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(TestTraces.span(1, "nested", 0).toBuilder()
            .addAttributes(KeyValue.newBuilder().setKey("deep").setValue(value))))).build();
  }

  private static long parsedSpanCount(byte[] body) throws InvalidProtocolBufferException {
    long spans = 0;
    for (ResourceSpans resourceSpans : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        spans += scopeSpans.getSpansCount();
      }
    }
    return spans;
  }
}
