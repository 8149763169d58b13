package io.tracemetrics.job.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The limits this decoder shares with the gateway's validating scanner (its {@code ingest.WireLimitsTest}
 * pins the same values with the same bytes): each accepted exactly at the limit and refused one past it.
 * Attributes are only read with dimensions configured, so nested messages are tried with such a decoder.
 */
class WireLimitsTest {
  private static final TracesDecoder PLAIN = TracesDecoder.plain();
  private static final TracesDecoder WITH_DIMENSIONS =
      new TracesDecoder(Dimensions.of(List.of("deep")), false, false);
  private static final long END_NANOS = System.currentTimeMillis() * 1_000_000L;
  /** One ResourceSpans with one span; its content is under 128 bytes, so a one-byte length. */
  private static final byte[] RESOURCE_SPANS_CONTENT = resourceSpansContent(new byte[0]);
  private static final byte[] BODY = cat(tag(1, 2), bytes(RESOURCE_SPANS_CONTENT.length), RESOURCE_SPANS_CONTENT);

  /** What one record gave: its spans, or the reason it was refused whole (null: not refused). */
  record Outcome(int spans, TracesDecoder.Rejection refusal, String detail) {}

  @Test
  void theLimitsAreTheGatewaysAndProtobufJavasNesting() {
    assertThat(WireReader.MAX_DEPTH).isEqualTo(100);
    assertThat(WireReader.MAX_VARINT_BYTES).isEqualTo(10);
    assertThat(WireReader.MAX_VARINT32_BYTES).isEqualTo(5);
  }

  @Test
  void groupsNestUpTo100Levels() {
    assertThat(decode(PLAIN, cat(nestedGroups(100), BODY))).isEqualTo(new Outcome(1, null, null));
    assertThat(decode(PLAIN, cat(nestedGroups(101), BODY)).refusal()).isEqualTo(TracesDecoder.Rejection.TOO_DEEP);
  }

  @Test
  void messagesNestUpTo100Levels() {
    assertThat(decode(WITH_DIMENSIONS, withAttributeNestedTo(100)).spans()).isEqualTo(1);
    assertThat(decode(WITH_DIMENSIONS, withAttributeNestedTo(101)).refusal())
        .isEqualTo(TracesDecoder.Rejection.TOO_DEEP);
  }

  @Test
  void varintValuesHaveAtMost64Bits() {
    for (TracesDecoder decoder : List.of(PLAIN, WITH_DIMENSIONS)) {
      assertThat(decode(decoder, cat(unknownVarint(tenBytesEndingIn(0x01)), BODY)).spans()).isEqualTo(1);
      assertThat(decode(decoder, cat(unknownVarint(tenBytesEndingIn(0x02)), BODY)).detail())
          .contains("varint is longer than 64 bits");
      byte[] elevenBytes = cat(Arrays.copyOf(tenBytesEndingIn(0x81), 10), bytes(0x00));
      assertThat(decode(decoder, cat(unknownVarint(elevenBytes), BODY)).detail())
          .contains("varint is longer than 64 bits");
    }
    // In an attribute, which protobuf-java parses once the decoder checked its framing.
    assertThat(decode(WITH_DIMENSIONS, withIntAttribute(tenBytesEndingIn(0x01))).spans()).isEqualTo(1);
    assertThat(decode(WITH_DIMENSIONS, withIntAttribute(tenBytesEndingIn(0x02))).detail())
        .contains("varint is longer than 64 bits");
    // A varint the decoder reads rather than steps over: the span's kind.
    assertThat(decode(PLAIN, withKind(tenBytesEndingIn(0x01))).spans()).isEqualTo(1);
    assertThat(decode(PLAIN, withKind(tenBytesEndingIn(0x02))).detail()).contains("varint is longer than 64 bits");
  }

  @Test
  void tagsHaveAtMost5BytesAnd32Bits() {
    byte[] fiveByteTag = bytes(0x8a, 0x80, 0x80, 0x80, 0x00); // resource_spans, length-delimited
    byte[] sixByteTag = bytes(0x8a, 0x80, 0x80, 0x80, 0x80, 0x00);
    byte[] length = bytes(RESOURCE_SPANS_CONTENT.length);

    assertThat(decode(PLAIN, cat(fiveByteTag, length, RESOURCE_SPANS_CONTENT)).spans()).isEqualTo(1);
    Outcome refused = decode(PLAIN, cat(sixByteTag, length, RESOURCE_SPANS_CONTENT));
    assertThat(refused.refusal()).isEqualTo(TracesDecoder.Rejection.UNDECODABLE);
    assertThat(refused.detail()).contains("tag varint is longer than 32 bits");
  }

  @Test
  void lengthsHaveAtMost5BytesAnd32BitsAndStayInTheirMessage() {
    int n = RESOURCE_SPANS_CONTENT.length;
    assertThat(n).isLessThan(128);
    byte[] fiveByteLength = bytes(n | 0x80, 0x80, 0x80, 0x80, 0x00);
    byte[] sixByteLength = bytes(n | 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);

    assertThat(decode(PLAIN, cat(tag(1, 2), fiveByteLength, RESOURCE_SPANS_CONTENT)).spans()).isEqualTo(1);
    assertThat(decode(PLAIN, cat(tag(1, 2), sixByteLength, RESOURCE_SPANS_CONTENT)).detail())
        .contains("length varint is longer than 32 bits");
    assertThat(decode(PLAIN, cat(tag(1, 2), bytes(n + 1), RESOURCE_SPANS_CONTENT)).detail())
        .contains("beyond the enclosing message");
  }

  static Outcome decode(TracesDecoder decoder, byte[] value) {
    return decode(decoder, value, true);
  }

  /** As {@link #decode(TracesDecoder, byte[])}, for any record: spans it rejects are not a test failure. */
  static Outcome decodeAny(TracesDecoder decoder, byte[] value) {
    return decode(decoder, value, false);
  }

  private static Outcome decode(TracesDecoder decoder, byte[] value, boolean noSpanRejections) {
    List<SpanEvent> spans = new ArrayList<>();
    Object[] refusal = {null, null};
    decoder.decode(value, null, new TracesDecoder.Sink() {
      @Override
      public void accept(SpanEvent span) {
        spans.add(span);
      }

      @Override
      public void rejected(TracesDecoder.Rejection reason, int count) {
        if (noSpanRejections) {
          throw new AssertionError("span rejected: " + reason);
        }
      }

      @Override
      public void rejectedRecord(TracesDecoder.Rejection reason, String detail) {
        refusal[0] = reason;
        refusal[1] = detail;
      }
    });
    return new Outcome(spans.size(), (TracesDecoder.Rejection) refusal[0], (String) refusal[1]);
  }

  /** {@code levels} groups of field 99, each inside the one before, at the record's top. */
  static byte[] nestedGroups(int levels) {
    byte[] groups = new byte[0];
    for (int i = 0; i < levels; i++) {
      groups = cat(tag(99, 3), groups, tag(99, 4));
    }
    return groups;
  }

  /**
   * A record whose span has an attribute nested so that its deepest message is at {@code level}: TracesData
   * 0, ResourceSpans 1, ScopeSpans 2, Span 3, KeyValue 4, then AnyValue (odd) and ArrayValue (even) levels.
   */
  static byte[] withAttributeNestedTo(int level) {
    byte[] content = new byte[0];
    for (int at = level - 1; at >= 5; at--) {
      content = at % 2 == 1 ? len(5, content) : len(1, content); // AnyValue.array_value, ArrayValue.values
    }
    byte[] keyValue = len(9, string(1, "deep"), len(2, content));
    return len(1, resourceSpansContent(keyValue));
  }

  /** A record whose span has the attribute "deep" with an int value written as {@code varint}. */
  static byte[] withIntAttribute(byte[] varint) {
    return len(1, resourceSpansContent(len(9, string(1, "deep"), len(2, tag(3, 0), varint))));
  }

  private static byte[] withKind(byte[] kindVarint) {
    return len(1, resourceSpansContent(cat(tag(6, 0), kindVarint)));
  }

  /** A resource with service.name "svc" and a scope holding one span with the extra span fields given. */
  private static byte[] resourceSpansContent(byte[] spanExtra) {
    byte[] resource = len(1, len(1, string(1, "service.name"), len(2, string(1, "svc"))));
    byte[] span = len(2, len(1, new byte[16]), len(2, new byte[8]), string(5, "GET /"), tag(6, 0), bytes(2),
        fixed64(7, END_NANOS - 50_000_000L), fixed64(8, END_NANOS), spanExtra);
    return cat(resource, len(2, span));
  }

  private static byte[] unknownVarint(byte[] varint) {
    return cat(tag(40, 0), varint);
  }

  /** Nine continuation bytes and a last one. */
  private static byte[] tenBytesEndingIn(int last) {
    byte[] varint = new byte[10];
    Arrays.fill(varint, (byte) 0xff);
    varint[9] = (byte) last;
    return varint;
  }

  private static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private static byte[] varint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((value & ~0x7fL) != 0) {
      out.write((int) (value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
    return out.toByteArray();
  }

  private static byte[] tag(int number, int wireType) {
    return varint((long) number << 3 | wireType);
  }

  private static byte[] len(int number, byte[]... parts) {
    byte[] payload = cat(parts);
    return cat(tag(number, 2), varint(payload.length), payload);
  }

  private static byte[] string(int number, String text) {
    return len(number, text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] fixed64(int number, long value) {
    return cat(tag(number, 1), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
  }
}
