package io.tracemetrics.gateway.ingest;

import static io.tracemetrics.gateway.ingest.Wire.bytes;
import static io.tracemetrics.gateway.ingest.Wire.cat;
import static io.tracemetrics.gateway.ingest.Wire.len;
import static io.tracemetrics.gateway.ingest.Wire.request;
import static io.tracemetrics.gateway.ingest.Wire.resource;
import static io.tracemetrics.gateway.ingest.Wire.resourceSpans;
import static io.tracemetrics.gateway.ingest.Wire.scopeSpans;
import static io.tracemetrics.gateway.ingest.Wire.span;
import static io.tracemetrics.gateway.ingest.Wire.spanFields;
import static io.tracemetrics.gateway.ingest.Wire.string;
import static io.tracemetrics.gateway.ingest.Wire.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The limits this scanner shares with the flink-job's wire decoder (its {@code otlp.WireLimitsTest} pins the
 * same values with the same bytes): each accepted exactly at the limit and refused one past it.
 */
class WireLimitsTest {
  /** One ResourceSpans with one span; its content is under 128 bytes, so a one-byte length. */
  private static final byte[] RESOURCE_SPANS_CONTENT =
      cat(resource("svc"), scopeSpans(span(spanFields("GET /"))));
  private static final byte[] BODY = request(resourceSpans(RESOURCE_SPANS_CONTENT));

  @Test
  void theLimitsAreTheJobs() {
    assertThat(WireReader.MAX_DEPTH).isEqualTo(100);
    assertThat(WireReader.MAX_VARINT_BYTES).isEqualTo(10);
    assertThat(WireReader.MAX_VARINT32_BYTES).isEqualTo(5);
  }

  @Test
  void groupsNestUpTo100Levels() throws Exception {
    assertThat(TracesScanner.scan(cat(nestedGroups(100), BODY)).spanCount()).isEqualTo(1);
    assertThatThrownBy(() -> TracesScanner.scan(cat(nestedGroups(101), BODY)))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("deeper than 100");
  }

  @Test
  void messagesNestUpTo100Levels() throws Exception {
    assertThat(TracesScanner.scan(withAttributeNestedTo(100)).spanCount()).isEqualTo(1);
    assertThatThrownBy(() -> TracesScanner.scan(withAttributeNestedTo(101)))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("deeper than 100");
  }

  @Test
  void varintValuesHaveAtMost64Bits() throws Exception {
    assertThat(TracesScanner.scan(cat(unknownVarint(tenBytesEndingIn(0x01)), BODY)).spanCount()).isEqualTo(1);
    assertThatThrownBy(() -> TracesScanner.scan(cat(unknownVarint(tenBytesEndingIn(0x02)), BODY)))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("longer than 64 bits");
    byte[] elevenBytes = cat(Arrays.copyOf(tenBytesEndingIn(0x81), 10), bytes(0x00));
    assertThatThrownBy(() -> TracesScanner.scan(cat(unknownVarint(elevenBytes), BODY)))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("longer than 64 bits");
    assertThat(TracesScanner.scan(withIntAttribute(tenBytesEndingIn(0x01))).spanCount()).isEqualTo(1);
    assertThatThrownBy(() -> TracesScanner.scan(withIntAttribute(tenBytesEndingIn(0x02))))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("longer than 64 bits");
  }

  @Test
  void tagsHaveAtMost5BytesAnd32Bits() throws Exception {
    byte[] fiveByteTag = bytes(0x8a, 0x80, 0x80, 0x80, 0x00); // resource_spans, length-delimited
    byte[] sixByteTag = bytes(0x8a, 0x80, 0x80, 0x80, 0x80, 0x00);
    byte[] length = bytes(RESOURCE_SPANS_CONTENT.length);

    assertThat(TracesScanner.scan(cat(fiveByteTag, length, RESOURCE_SPANS_CONTENT)).spanCount()).isEqualTo(1);
    assertThatThrownBy(() -> TracesScanner.scan(cat(sixByteTag, length, RESOURCE_SPANS_CONTENT)))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("tag varint is longer than 32 bits");
  }

  @Test
  void lengthsHaveAtMost5BytesAnd32BitsAndStayInTheirMessage() throws Exception {
    int n = RESOURCE_SPANS_CONTENT.length;
    assertThat(n).isLessThan(128);
    byte[] fiveByteLength = bytes(n | 0x80, 0x80, 0x80, 0x80, 0x00);
    byte[] sixByteLength = bytes(n | 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);

    assertThat(TracesScanner.scan(cat(tag(1, 2), fiveByteLength, RESOURCE_SPANS_CONTENT)).spanCount()).isEqualTo(1);
    assertThatThrownBy(() -> TracesScanner.scan(cat(tag(1, 2), sixByteLength, RESOURCE_SPANS_CONTENT)))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("length varint is longer than 32 bits");
    assertThatThrownBy(() -> TracesScanner.scan(cat(tag(1, 2), bytes(n + 1), RESOURCE_SPANS_CONTENT)))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("past the end");
  }

  /** {@code levels} groups of field 99, each inside the one before, at the request's top. */
  static byte[] nestedGroups(int levels) {
    byte[] groups = new byte[0];
    for (int i = 0; i < levels; i++) {
      groups = cat(tag(99, 3), groups, tag(99, 4));
    }
    return groups;
  }

  /**
   * A request whose span has an attribute nested so that its deepest message is at {@code level}: request
   * 0, ResourceSpans 1, ScopeSpans 2, Span 3, KeyValue 4, then AnyValue (odd) and ArrayValue (even) levels.
   */
  static byte[] withAttributeNestedTo(int level) {
    byte[] content = new byte[0];
    for (int at = level - 1; at >= 5; at--) {
      content = at % 2 == 1 ? len(5, content) : len(1, content); // AnyValue.array_value, ArrayValue.values
    }
    byte[] keyValue = len(9, string(1, "deep"), len(2, content));
    return request(resourceSpans(resource("svc"), scopeSpans(span(spanFields("GET /"), keyValue))));
  }

  /** A request whose span has the attribute "deep" with an int value written as {@code varint}. */
  static byte[] withIntAttribute(byte[] varint) {
    byte[] keyValue = len(9, string(1, "deep"), len(2, tag(3, 0), varint));
    return request(resourceSpans(resource("svc"), scopeSpans(span(spanFields("GET /"), keyValue))));
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
}
