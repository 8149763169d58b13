package io.tracemetrics.job.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What each kind of bad record is refused as: the reasons are a contract (metric names, dead-letter headers). */
class RecordRejectionTest {
  private static final TracesDecoder DECODER = TracesDecoder.plain();
  private static final TracesDecoder WITH_DIMENSIONS =
      new TracesDecoder(Dimensions.of(List.of("http.route", "tags")), false, false);

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of("a tombstone", null, TracesDecoder.Rejection.TOMBSTONE),
        Arguments.of("no bytes", new byte[0], TracesDecoder.Rejection.EMPTY),
        Arguments.of("white space", Records.utf8(" \n\t\r "), TracesDecoder.Rejection.EMPTY),
        Arguments.of("over the size limit", new byte[TracesDecoder.MAX_RECORD_BYTES + 1], TracesDecoder.Rejection.TOO_LARGE),
        Arguments.of("300 KB of start-group tags", Records.nestedGroups(300_000), TracesDecoder.Rejection.TOO_DEEP),
        Arguments.of("101 closed groups", Records.closedGroups(101), TracesDecoder.Rejection.TOO_DEEP),
        Arguments.of("a length beyond the record", new byte[] {0x0A, (byte) 0xFF, 0x7F}, TracesDecoder.Rejection.UNDECODABLE),
        Arguments.of("a tag of field 0", new byte[] {0x02, 0x00}, TracesDecoder.Rejection.UNDECODABLE),
        Arguments.of("an end-group without start", new byte[] {0x0C}, TracesDecoder.Rejection.UNDECODABLE),
        Arguments.of("text", Records.utf8("definitely not OTLP"), TracesDecoder.Rejection.UNDECODABLE),
        Arguments.of("a span name that is not UTF-8", invalidUtf8Name(), TracesDecoder.Rejection.INVALID_UTF8),
        Arguments.of("JSON 100,000 arrays deep", Records.utf8("{\"x\":" + "[".repeat(100_000)), TracesDecoder.Rejection.TOO_DEEP),
        Arguments.of("JSON 100,000 objects deep", Records.utf8("{" + "\"a\":{".repeat(100_000)), TracesDecoder.Rejection.TOO_DEEP),
        Arguments.of("deep arrays behind a comment", Records.utf8("{/* \" */\"x\":" + "[".repeat(100_000)),
            TracesDecoder.Rejection.INVALID_JSON),
        Arguments.of("truncated JSON", Records.utf8("{\"resourceSpans\": ["), TracesDecoder.Rejection.INVALID_JSON),
        Arguments.of("JSON of the wrong types", Records.utf8("{\"resourceSpans\": 7}"), TracesDecoder.Rejection.INVALID_JSON),
        Arguments.of("JSON that is not UTF-8", new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'},
            TracesDecoder.Rejection.INVALID_UTF8),
        Arguments.of("Zipkin v2 JSON", Records.zipkinJson(), TracesDecoder.Rejection.NOT_TRACES),
        Arguments.of("OTLP metrics JSON", Records.utf8("{\"resourceMetrics\":[{\"scopeMetrics\":[]}]}"),
            TracesDecoder.Rejection.NOT_TRACES),
        Arguments.of("OTLP metrics protobuf", Records.metrics(false), TracesDecoder.Rejection.NOT_TRACES),
        // A metric's gauge sits where a span's name does: its bytes are read as a name, and are not UTF-8.
        Arguments.of("OTLP metrics protobuf with data", Records.metrics(true), TracesDecoder.Rejection.INVALID_UTF8),
        Arguments.of("OTLP logs protobuf", Records.logs(), TracesDecoder.Rejection.NOT_TRACES),
        Arguments.of("unknown fields only", new byte[] {0x10, 0x01}, TracesDecoder.Rejection.NOT_TRACES));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("records")
  void badRecordIsRefusedWholeForItsReason(String what, byte[] value, TracesDecoder.Rejection reason) {
    for (TracesDecoder decoder : List.of(DECODER, WITH_DIMENSIONS)) {
      List<Object> given = new ArrayList<>();
      decoder.decode(value, null, new TracesDecoder.Sink() {
        @Override
        public void accept(SpanEvent span) {
          given.add(span);
        }

        @Override
        public void rejected(TracesDecoder.Rejection rejection, int count) {
          given.add(rejection);
        }

        @Override
        public void rejectedRecord(TracesDecoder.Rejection rejection, String detail) {
          assertThat(detail).as("a short detail").isNotBlank().hasSizeLessThanOrEqualTo(201);
          given.add(rejection);
        }
      });
      assertThat(given).as(what).containsExactly(reason);
      assertThat(reason.wholeRecord()).isTrue();
    }
  }

  @Test
  void groupsNestAsDeepAsProtobufJavaAllowsAndNoDeeper() throws Exception {
    byte[] deepest = concat(Records.closedGroups(100), Records.everyField().toByteArray());
    TracesData.parseFrom(deepest); // protobuf-java takes 100 levels
    assertThat(WireTracesDecoderTest.viaWire(DECODER, deepest, null).spans()).hasSize(3);
    assertThat(WireTracesDecoderTest.viaWire(DECODER, deepest, null))
        .isEqualTo(WireTracesDecoderTest.viaMessages(DECODER, deepest, null));
    byte[] tooDeep = concat(Records.closedGroups(101), Records.everyField().toByteArray());
    assertThat(WireTracesDecoderTest.viaMessages(DECODER, tooDeep, null).rejections())
        .as("protobuf-java refuses 101 levels too").containsKey(TracesDecoder.Rejection.UNDECODABLE);
  }

  @Test
  void protobufWhoseFirstResourceSpansIs123BytesLongIsNotTakenForJson() {
    ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
        .addSpans(Span.newBuilder().setName("a").setStartTimeUnixNano(Records.NOW_NANOS - 1)
            .setEndTimeUnixNano(Records.NOW_NANOS)));
    // Pad the schema URL until the message is 123 bytes: its length byte is then '{'.
    int size = resourceSpans.build().getSerializedSize();
    resourceSpans.setSchemaUrl("x".repeat(123 - size - 2));
    byte[] value = TracesData.newBuilder().addResourceSpans(resourceSpans).build().toByteArray();
    assertThat(Arrays.copyOf(value, 2)).containsExactly(0x0A, '{');

    assertThat(WireTracesDecoderTest.viaWire(DECODER, value, null).spans()).hasSize(1);
  }

  @Test
  void jsonAfterANewlineIsStillJson() {
    byte[] value = Records.utf8("\n{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"a\","
        + "\"startTimeUnixNano\":\"" + (Records.NOW_NANOS - 1) + "\",\"endTimeUnixNano\":\"" + Records.NOW_NANOS + "\"}]}]}]}");
    assertThat(WireTracesDecoderTest.viaWire(DECODER, value, null).spans()).extracting(SpanEvent::spanName)
        .containsExactly("a");
  }

  private static byte[] invalidUtf8Name() {
    byte[] value = Records.everyField().toByteArray();
    byte[] name = Records.utf8("GET /users/{id}");
    for (int i = 0; i + name.length <= value.length; i++) {
      if (Arrays.equals(value, i, i + name.length, name, 0, name.length)) {
        value[i] = (byte) 0xC3;
        value[i + 1] = '(';
        return value;
      }
    }
    throw new AssertionError("no span name found");
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
