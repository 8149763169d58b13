package io.tracemetrics.gateway.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

/**
 * Checks protobuf fields in place against a {@link WireSchema} without building messages: every tag,
 * wire type and length, embedded messages recursively, and UTF-8 of every {@code string} field. Unknown
 * fields are skipped (a consumer's parser keeps them too); numbers the schema reserves are refused,
 * because their content, spans included, would be ignored downstream. Nesting is bounded like
 * protobuf's parsers (100 levels), so whatever passes here parses there.
 *
 * <p>Reads the array directly rather than through {@code CodedInputStream}: the scan visits every field
 * of every span, and the stream's per-call limit bookkeeping made it about twice as slow. Where the two
 * differ this reader is the stricter: varints longer than their type allows (tags and lengths over 5
 * bytes, values over 64 bits) are refused instead of truncated.
 *
 * <p>The flink-job reads the records with its own wire decoder (an extractor, not a validator: it steps
 * over fields it does not need), with the same limits: nesting {@value #MAX_DEPTH}, varints of at most
 * {@value #MAX_VARINT_BYTES} bytes and 64 bits, tags and lengths of at most {@value #MAX_VARINT32_BYTES}
 * bytes and 32 bits, lengths within their message. Keep the two in step ({@code WireLimitsTest} on each
 * side pins them).
 */
final class WireReader {
  /** protobuf-java's default recursion limit: a message or group at level 101 is refused. */
  static final int MAX_DEPTH = 100;
  /** A varint value: 64 bits, so at most 10 bytes whose last is 0 or 1 (Go and C++ refuse more). */
  static final int MAX_VARINT_BYTES = 10;
  /** A tag or a length: 32 bits, so at most 5 bytes whose last is below 16 (protobuf-java would truncate). */
  static final int MAX_VARINT32_BYTES = 5;
  private static final String[] WIRE_TYPES =
      {"varint", "fixed64", "length-delimited", "start-group", "end-group", "fixed32", "6", "7"};

  /** Names of reserved fields that pre-1.0 senders still use, for the refusal message. */
  private static final java.util.Map<String, String> LEGACY_FIELDS = java.util.Map.of(
      "ResourceSpans.1000", "instrumentation_library_spans of OTLP 0.15-0.18; send scope_spans (2)",
      "Status.1", "deprecated_code of OTLP 0.7-0.18; send code (3)");

  private final byte[] bytes;
  private int pos;

  WireReader(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The tag of a field number with a wire type. */
  static int tag(int number, int wireType) {
    return number << 3 | wireType;
  }

  /** Offset of the next byte to read. */
  int position() {
    return pos;
  }

  /** Moves to {@code position}, the start of a field or the end of a message (a caller's own reading). */
  void seek(int position) {
    pos = position;
  }

  /** The next tag of a message ending at {@code end}, or 0 at its end. */
  int readTag(int end) throws InvalidProtocolBufferException {
    if (pos >= end) {
      return 0;
    }
    int tag = readVarint32(end, "tag");
    if (tag >>> 3 == 0) {
      throw new InvalidProtocolBufferException("invalid tag " + tag + " (field number 0)");
    }
    return tag;
  }

  /**
   * Reads the length of an embedded message at {@code depth} (1 for a top-level field) within a
   * message ending at {@code end}; returns where the embedded one ends.
   */
  int enter(int end, int depth) throws InvalidProtocolBufferException {
    checkDepth(depth);
    return lengthDelimitedEnd(end);
  }

  /** Checks every remaining field of a message of type {@code schema} at {@code depth}, ending at {@code end}. */
  void message(WireSchema schema, int end, int depth) throws InvalidProtocolBufferException {
    while (pos < end) {
      field(readTag(end), schema, end, depth);
    }
  }

  /** Checks the field whose {@code tag} was just read, in a message of type {@code schema} at {@code depth}. */
  void field(int tag, WireSchema schema, int end, int depth) throws InvalidProtocolBufferException {
    switch (schema.action(tag)) {
      case WireSchema.SKIP_VARINT -> skipVarint(end);
      case WireSchema.SKIP_FIXED64 -> skip(Long.BYTES, end);
      case WireSchema.SKIP_FIXED32 -> skip(Integer.BYTES, end);
      case WireSchema.SKIP_BYTES -> pos = lengthDelimitedEnd(end);
      case WireSchema.CHECK_STRING -> {
        int stop = lengthDelimitedEnd(end);
        if (!Utf8Check.isValid(bytes, pos, stop)) {
          throw new InvalidProtocolBufferException(schema.describe(tag >>> 3) + " is not valid UTF-8");
        }
        pos = stop;
      }
      case WireSchema.ENTER_MESSAGE -> {
        int stop = lengthDelimitedEnd(end);
        checkDepth(depth + 1);
        message(schema.child(tag >>> 3), stop, depth + 1);   // ends exactly at stop: no field reads past it
      }
      case WireSchema.CHECK_PACKED_VARINT -> {
        int stop = lengthDelimitedEnd(end);
        while (pos < stop) {
          skipVarint(stop);
        }
      }
      case WireSchema.CHECK_PACKED_FIXED32 -> packedFixed(schema, tag >>> 3, Integer.BYTES, lengthDelimitedEnd(end));
      case WireSchema.CHECK_PACKED_FIXED64 -> packedFixed(schema, tag >>> 3, Long.BYTES, lengthDelimitedEnd(end));
      case WireSchema.SKIP_GROUP -> skipGroup(tag >>> 3, end, depth + 1);
      default -> throw refusal(schema, tag >>> 3, tag & 7);
    }
  }

  private void packedFixed(WireSchema schema, int number, int width, int stop) throws InvalidProtocolBufferException {
    if ((stop - pos) % width != 0) {
      throw new InvalidProtocolBufferException("packed " + schema.describe(number) + " has " + (stop - pos)
          + " bytes, not a multiple of " + width);
    }
    pos = stop;
  }

  private void skipGroup(int number, int end, int depth) throws InvalidProtocolBufferException {
    checkDepth(depth);
    int endTag = tag(number, WireFormat.WIRETYPE_END_GROUP);
    while (true) {
      int tag = readTag(end);
      if (tag == endTag) {
        return;
      }
      if (tag == 0) {
        throw new InvalidProtocolBufferException("group of field " + number + " is not closed");
      }
      if ((tag & 7) == WireFormat.WIRETYPE_END_GROUP) {
        throw new InvalidProtocolBufferException("end-group tag of field " + (tag >>> 3)
            + " inside the group of field " + number);
      }
      field(tag, WireSchema.UNKNOWN, end, depth);
    }
  }

  private int lengthDelimitedEnd(int end) throws InvalidProtocolBufferException {
    int length = readVarint32(end, "length");
    if (length < 0 || length > end - pos) {
      throw new InvalidProtocolBufferException("length " + Integer.toUnsignedString(length) + " runs past the end"
          + " of the enclosing message (" + (end - pos) + " bytes left): truncated or corrupt input");
    }
    return pos + length;
  }

  /** A varint of at most 5 bytes whose value fits in 32 bits. */
  private int readVarint32(int end, String what) throws InvalidProtocolBufferException {
    if (pos < end && bytes[pos] >= 0) {
      return bytes[pos++];   // the usual case: tags of fields 1-15, lengths under 128
    }
    return readLongVarint32(end, what);   // apart, so that the usual case stays small enough to inline
  }

  private int readLongVarint32(int end, String what) throws InvalidProtocolBufferException {
    int result = 0;
    for (int i = 0; i < MAX_VARINT32_BYTES; i++) {
      if (pos >= end) {
        throw truncated(what);
      }
      int b = bytes[pos++];
      if (i == MAX_VARINT32_BYTES - 1 && (b & 0xf0) != 0) {
        break;
      }
      result |= (b & 0x7f) << (7 * i);
      if (b >= 0) {
        return result;
      }
    }
    throw new InvalidProtocolBufferException(what + " varint is longer than 32 bits");
  }

  /**
   * Skips a varint of at most 64 bits: 10 bytes, the last 0 or 1. protobuf-java ends a varint at its
   * 10th byte whatever that byte holds, but Go's and C++'s parsers (a Collector reading the topic)
   * refuse more than 64 bits, so such a record is refused here rather than written.
   */
  private void skipVarint(int end) throws InvalidProtocolBufferException {
    for (int i = 0; i < MAX_VARINT_BYTES; i++) {
      if (pos >= end) {
        throw truncated("varint");
      }
      int b = bytes[pos++];
      if (b >= 0) {
        if (i == MAX_VARINT_BYTES - 1 && b > 1) {
          break;
        }
        return;
      }
    }
    throw new InvalidProtocolBufferException("varint is longer than 64 bits");
  }

  private void skip(int count, int end) throws InvalidProtocolBufferException {
    if (count > end - pos) {
      throw truncated(count + "-byte value");
    }
    pos += count;
  }

  private static InvalidProtocolBufferException refusal(WireSchema schema, int number, int wireType) {
    if (schema.reserved(number)) {
      String legacy = LEGACY_FIELDS.get(schema.name() + "." + number);
      return new InvalidProtocolBufferException(schema.name() + " field " + number
          + (legacy == null ? "" : " (" + legacy + ")") + " is reserved: it belongs to"
          + " an older OTLP version, and what it holds would be ignored downstream");
    }
    if (wireType == WireFormat.WIRETYPE_END_GROUP) {
      return new InvalidProtocolBufferException("end-group tag of field " + number + " without a matching start");
    }
    if (wireType > WireFormat.WIRETYPE_FIXED32) {
      return new InvalidProtocolBufferException("field " + number + " has the invalid wire type " + wireType);
    }
    return new InvalidProtocolBufferException(schema.describe(number) + " has the wire type " + WIRE_TYPES[wireType]
        + ", which its type does not allow");
  }

  private static InvalidProtocolBufferException truncated(String what) {
    return new InvalidProtocolBufferException("input ends in the middle of a " + what + ": truncated or corrupt input");
  }

  private static void checkDepth(int depth) throws InvalidProtocolBufferException {
    if (depth > MAX_DEPTH) {
      throw new InvalidProtocolBufferException("messages nested deeper than " + MAX_DEPTH + " levels");
    }
  }
}
