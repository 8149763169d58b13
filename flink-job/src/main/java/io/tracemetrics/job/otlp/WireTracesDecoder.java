package io.tracemetrics.job.otlp;

import com.google.protobuf.CodedInputStream;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes protobuf {@code TracesData} straight from the wire: it reads only what the metrics need (the
 * resource's attributes, each span's name, kind, times and status code, and span attributes when
 * dimensions are configured) and steps over the rest (ids, events, links, other attributes) by their
 * length, building no messages. Several times cheaper than {@code TracesData.parseFrom}, and yields the
 * same spans for any valid record ({@code WireTracesDecoderTest} checks it against the generated classes).
 *
 * <p>Validity: the framing of every level it walks is checked (tags, wire types, lengths within their
 * message, groups closed) and every string it reads must be valid UTF-8; a record failing either is
 * undecodable as a whole and yields no span. The content of fields it steps over is not checked, so a
 * record whose only fault lies there (say, invalid UTF-8 in a span event's name) counts where the
 * generated parser would reject it.
 */
final class WireTracesDecoder implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final int RESOURCE_SPANS = 1 << 3 | WireReader.LEN;
  private static final int RESOURCE = 1 << 3 | WireReader.LEN;
  private static final int SCOPE_SPANS = 2 << 3 | WireReader.LEN;
  private static final int RESOURCE_ATTRIBUTES = 1 << 3 | WireReader.LEN;
  private static final int SPANS = 2 << 3 | WireReader.LEN;
  private static final int NAME = 5 << 3 | WireReader.LEN;
  private static final int KIND = 6 << 3 | WireReader.VARINT;
  private static final int START = 7 << 3 | WireReader.FIXED64;
  private static final int END = 8 << 3 | WireReader.FIXED64;
  private static final int ATTRIBUTES = 9 << 3 | WireReader.LEN;
  private static final int STATUS = 15 << 3 | WireReader.LEN;
  private static final int STATUS_CODE = 3 << 3 | WireReader.VARINT;

  private static final byte[] SERVICE_NAME = TracesDecoder.SERVICE_NAME.getBytes(StandardCharsets.UTF_8);
  private static final byte[] CLOUD_REGION = TracesDecoder.CLOUD_REGION.getBytes(StandardCharsets.UTF_8);

  private final Dimensions dimensions;
  private final boolean excludeSpanKind;
  private final boolean excludeStatusCode;

  WireTracesDecoder(Dimensions dimensions, boolean excludeSpanKind, boolean excludeStatusCode) {
    this.dimensions = dimensions;
    this.excludeSpanKind = excludeSpanKind;
    this.excludeStatusCode = excludeStatusCode;
  }

  /** Nesting level of a Span: TracesData 0, ResourceSpans 1, ScopeSpans 2. */
  private static final int SPAN_DEPTH = 3;

  /** What one record yields; nothing of it is passed on unless the whole record is well formed. */
  static final class Decoded {
    final List<SpanEvent> spans = new ArrayList<>();
    int invalidTimes;
    int absurdTimes;
    /** What tells traces from other records: see {@link TracesDecoder#notTraces}. */
    int resourceSpans;
    int spansSeen;
    int spansWithTime;
  }

  /** The resource of one ResourceSpans, as far as the metrics need it. */
  private record ResourceInfo(String service, String region, List<KeyValue> attributes) {}

  Decoded decode(byte[] value, String region) throws WireReader.Malformed {
    Decoded out = new Decoded();
    long latestEndMillis = System.currentTimeMillis() + TracesDecoder.MAX_AHEAD_MILLIS;
    WireReader traces = new WireReader(value, 0, value.length);
    WireReader span = new WireReader(value, 0, 0, SPAN_DEPTH);
    while (traces.more()) {
      int tag = traces.tag();
      if (tag != RESOURCE_SPANS) {
        traces.skip(tag);
        continue;
      }
      out.resourceSpans++;
      int length = traces.length();
      int offset = traces.pos();
      traces.advance(length);
      ResourceInfo resource = resource(traces.sub(offset, length), region);
      WireReader resourceSpans = traces.sub(offset, length);
      while (resourceSpans.more()) {
        int field = resourceSpans.tag();
        if (field != SCOPE_SPANS) {
          resourceSpans.skip(field);
          continue;
        }
        int scopeLength = resourceSpans.length();
        WireReader scope = resourceSpans.sub(resourceSpans.pos(), scopeLength);
        resourceSpans.advance(scopeLength);
        while (scope.more()) {
          int spanTag = scope.tag();
          if (spanTag != SPANS) {
            scope.skip(spanTag);
            continue;
          }
          int spanLength = scope.length();
          span.reset(scope.pos(), spanLength);
          scope.advance(spanLength);
          span(span, resource, latestEndMillis, out);
        }
      }
    }
    return out;
  }

  /**
   * First pass over a ResourceSpans: its resource may come after its spans on the wire, and may even
   * come in pieces, whose attributes protobuf concatenates.
   */
  private ResourceInfo resource(WireReader resourceSpans, String region) throws WireReader.Malformed {
    String service = null;
    String cloudRegion = null;
    List<KeyValue> attributes = dimensions.size() > 0 ? new ArrayList<>() : List.of();
    WireAttribute attribute = new WireAttribute();
    byte[] buf = resourceSpans.buffer();
    while (resourceSpans.more()) {
      int tag = resourceSpans.tag();
      if (tag != RESOURCE) {
        resourceSpans.skip(tag);
        continue;
      }
      int length = resourceSpans.length();
      WireReader resource = resourceSpans.sub(resourceSpans.pos(), length);
      resourceSpans.advance(length);
      while (resource.more()) {
        int field = resource.tag();
        if (field != RESOURCE_ATTRIBUTES) {
          resource.skip(field);
          continue;
        }
        int attributeLength = resource.length();
        int attributeOffset = resource.pos();
        resource.advance(attributeLength);
        attribute.read(resource.sub(attributeOffset, attributeLength));
        if (service == null && isNonEmptyString(resource, attribute, SERVICE_NAME)) {
          service = resource.string(attribute.stringOffset, attribute.stringLength);
        }
        if (cloudRegion == null && isNonEmptyString(resource, attribute, CLOUD_REGION)) {
          cloudRegion = resource.string(attribute.stringOffset, attribute.stringLength);
        }
        if (dimensions.size() > 0) {
          attributes.add(keyValue(buf, attributeOffset, attributeLength, resource.depth() + 1));
        }
      }
    }
    return new ResourceInfo(
        service != null ? service : TracesDecoder.UNKNOWN_SERVICE,
        region != null ? region : cloudRegion != null ? cloudRegion : "",
        attributes);
  }

  private static boolean isNonEmptyString(WireReader in, WireAttribute attribute, byte[] key) {
    return attribute.valueCase == WireAttribute.STRING
        && attribute.stringLength > 0
        && in.bytesEqual(attribute.keyOffset, attribute.keyLength, key);
  }

  private void span(WireReader in, ResourceInfo resource, long latestEndMillis, Decoded out)
      throws WireReader.Malformed {
    String name = "";
    int kind = 0;
    int statusCode = 0;
    long start = 0;
    long end = 0;
    List<KeyValue> attributes = dimensions.size() > 0 ? new ArrayList<>() : List.of();
    while (in.more()) {
      int tag = in.tag();
      switch (tag) {
        case NAME -> {
          int length = in.length();
          name = in.string(in.pos(), length);
          in.advance(length);
        }
        case KIND -> kind = TracesDecoder.enumNumber(in.varint());
        case START -> start = in.fixed64();
        case END -> end = in.fixed64();
        case STATUS -> {
          int length = in.length();
          int offset = in.pos();
          in.advance(length);
          statusCode = statusCode(in.sub(offset, length), statusCode);
        }
        case ATTRIBUTES -> {
          int length = in.length();
          if (dimensions.size() > 0) {
            attributes.add(keyValue(in.buffer(), in.pos(), length, in.depth() + 1));
          }
          in.advance(length);
        }
        default -> in.skip(tag);
      }
    }
    out.spansSeen++;
    if (start != 0 || end != 0) {
      out.spansWithTime++;
    }
    if (end <= 0 || start <= 0 || end < start) {
      out.invalidTimes++;
      return;
    }
    long endMillis = end / 1_000_000L;
    if (endMillis < TracesDecoder.EARLIEST_END_MILLIS || endMillis > latestEndMillis) {
      out.absurdTimes++;
      return;
    }
    out.spans.add(new SpanEvent(
        resource.service(),
        name,
        excludeSpanKind ? SpanEvent.EXCLUDED : kind,
        excludeStatusCode ? SpanEvent.EXCLUDED : statusCode,
        endMillis,
        end - start,
        resource.region(),
        dimensions.size() > 0 ? dimensions.extract(attributes, resource.attributes()) : SpanEvent.NO_DIMENSIONS));
  }

  /** A Status merged into what came before: a repeated status field merges, its code's last value wins. */
  private static int statusCode(WireReader status, int previous) throws WireReader.Malformed {
    int code = previous;
    while (status.more()) {
      int tag = status.tag();
      if (tag == STATUS_CODE) {
        code = TracesDecoder.enumNumber(status.varint());
      } else {
        status.skip(tag);
      }
    }
    return code;
  }

  /**
   * Only with dimensions configured: the generated class, so attribute lookups match it exactly. Its
   * nesting is bounded from the record's top, as {@code TracesData.parseFrom} bounds it, not from the
   * attribute's: a KeyValue at level {@code depth} may hold {@code MAX_DEPTH - depth} more levels. Its
   * framing is walked first with {@link WireReader}'s limits, which protobuf-java's are laxer than.
   */
  private static KeyValue keyValue(byte[] buf, int offset, int length, int depth) throws WireReader.Malformed {
    checkFraming(new WireReader(buf, offset, offset + length, depth), KEY_VALUE);
    try {
      CodedInputStream input = CodedInputStream.newInstance(buf, offset, length);
      input.setRecursionLimit(WireReader.MAX_DEPTH - depth);
      KeyValue keyValue = KeyValue.parser().parseFrom(input);
      input.checkLastTagWas(0); // a stray end-group tag: protobuf-java refuses it inside a message
      return keyValue;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      String message = String.valueOf(e.getMessage());
      TracesDecoder.Rejection reason = message.contains("levels of nesting") ? TracesDecoder.Rejection.TOO_DEEP
          : message.contains("UTF-8") ? TracesDecoder.Rejection.INVALID_UTF8 : TracesDecoder.Rejection.UNDECODABLE;
      throw new WireReader.Malformed(reason, "bad attribute: " + message);
    }
  }

  // The attribute messages, for checkFraming: the field each holds nested messages in.
  private static final int KEY_VALUE = 0;
  private static final int ANY_VALUE = 1;
  private static final int ARRAY_VALUE = 2;
  private static final int KEY_VALUE_LIST = 3;
  private static final int KEY_VALUE_VALUE = 2 << 3 | WireReader.LEN;
  private static final int ANY_ARRAY_VALUE = 5 << 3 | WireReader.LEN;
  private static final int ANY_KVLIST_VALUE = 6 << 3 | WireReader.LEN;
  private static final int LIST_VALUES = 1 << 3 | WireReader.LEN;

  /**
   * Walks the framing of an attribute message of kind {@code kind} (tags, varints, lengths, groups, nesting)
   * with this decoder's limits, which are the gateway's: protobuf-java, which parses the attribute next,
   * keeps the low bits of a varint longer than its type where the gateway refuses the request.
   */
  private static void checkFraming(WireReader message, int kind) throws WireReader.Malformed {
    while (message.more()) {
      int tag = message.tag();
      int child = switch (kind) {
        case KEY_VALUE -> tag == KEY_VALUE_VALUE ? ANY_VALUE : -1;
        case ANY_VALUE -> tag == ANY_ARRAY_VALUE ? ARRAY_VALUE : tag == ANY_KVLIST_VALUE ? KEY_VALUE_LIST : -1;
        case ARRAY_VALUE -> tag == LIST_VALUES ? ANY_VALUE : -1;
        default -> tag == LIST_VALUES ? KEY_VALUE : -1;
      };
      if (child < 0) {
        message.skip(tag);
        continue;
      }
      int length = message.length();
      WireReader nested = message.sub(message.pos(), length);
      message.advance(length);
      checkFraming(nested, child);
    }
  }
}
