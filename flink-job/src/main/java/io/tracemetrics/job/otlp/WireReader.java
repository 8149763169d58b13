package io.tracemetrics.job.otlp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over protobuf wire format in a byte array, between {@code pos} and {@code limit}: tags,
 * varints, fixed64, lengths checked against the limit, skipping of fields by wire type. Allocates
 * nothing but the strings it is asked for; anything malformed throws {@link Malformed}.
 *
 * <p>Every reader knows its nesting depth (the record's top level is 0, each {@link #sub} one more), and a
 * group or message deeper than {@link #MAX_DEPTH} is malformed, counted as protobuf-java counts it, so the
 * recursion through nested groups is bounded and a record is never rejected that protobuf-java accepts.
 * The depth is checked per group and per nested message, never per byte.
 */
final class WireReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int START_GROUP = 3;
  static final int END_GROUP = 4;
  static final int FIXED32 = 5;

  /** Nesting protobuf-java allows (its default recursion limit): a message or group at level 101 is refused. */
  static final int MAX_DEPTH = 100;

  /** The record is not valid protobuf; no stack trace: bad input is expected, counted and skipped. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;
    private final TracesDecoder.Rejection reason;

    Malformed(String message) {
      this(TracesDecoder.Rejection.UNDECODABLE, message);
    }

    Malformed(TracesDecoder.Rejection reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }

    TracesDecoder.Rejection reason() {
      return reason;
    }
  }

  private final byte[] buf;
  private final int depth;
  private int pos;
  private int limit;

  WireReader(byte[] buf, int pos, int limit) {
    this(buf, pos, limit, 0);
  }

  /** A reader of a message at nesting level {@code depth}: the record's top level is 0. */
  WireReader(byte[] buf, int pos, int limit, int depth) {
    this.buf = buf;
    this.pos = pos;
    this.limit = limit;
    this.depth = depth;
  }

  boolean more() {
    return pos < limit;
  }

  int pos() {
    return pos;
  }

  /**
   * The next tag (field number and wire type); field number 0 is invalid. As protobuf-java does, a tag
   * written in more than 5 bytes keeps its low 32 bits.
   */
  int tag() throws Malformed {
    int tag = (int) varint();
    if (tag >>> 3 == 0) {
      throw new Malformed("invalid tag " + Integer.toUnsignedString(tag));
    }
    return tag;
  }

  long varint() throws Malformed {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw new Malformed("truncated varint");
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new Malformed("varint longer than 10 bytes");
  }

  /**
   * Steps over a varint field's value as protobuf-java does for unknown fields: at most 10 bytes, the
   * tenth taken as the last whatever its continuation bit (found by fuzzing against protobuf-java).
   */
  private void skipVarint() throws Malformed {
    for (int i = 0; i < 10; i++) {
      if (pos >= limit) {
        throw new Malformed("truncated varint");
      }
      if (buf[pos++] >= 0) {
        return;
      }
    }
  }

  long fixed64() throws Malformed {
    need(8);
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (buf[pos + i] & 0xFFL);
    }
    pos += 8;
    return value;
  }

  /** A length prefix; the bytes it announces must fit before the limit. */
  int length() throws Malformed {
    long length = varint();
    if (length < 0 || length > limit - pos) {
      throw new Malformed("length " + length + " beyond the enclosing message");
    }
    return (int) length;
  }

  /** Steps over {@code n} bytes, already checked by {@link #length}. */
  void advance(int n) {
    pos += n;
  }

  /** Skips one field's value of the given tag, as protobuf-java does for unknown fields. */
  void skip(int tag) throws Malformed {
    switch (tag & 7) {
      case VARINT -> skipVarint();
      case FIXED64 -> advance(need(8));
      case LEN -> advance(length());
      case FIXED32 -> advance(need(4));
      case START_GROUP -> skipGroup(tag >>> 3, depth + 1);
      default -> throw new Malformed("unexpected wire type " + (tag & 7));
    }
  }

  /** Recurses once per nested group, at most {@link #MAX_DEPTH} deep: a record of 0x0B bytes ends here. */
  private void skipGroup(int field, int groupDepth) throws Malformed {
    if (groupDepth > MAX_DEPTH) {
      throw new Malformed(TracesDecoder.Rejection.TOO_DEEP, "groups nested deeper than " + MAX_DEPTH + " levels");
    }
    while (true) {
      if (!more()) {
        throw new Malformed("unterminated group");
      }
      int tag = tag();
      if ((tag & 7) == END_GROUP) {
        if (tag >>> 3 != field) {
          throw new Malformed("mismatched end group");
        }
        return;
      }
      if ((tag & 7) == START_GROUP) {
        skipGroup(tag >>> 3, groupDepth + 1);
      } else {
        skip(tag);
      }
    }
  }

  private int need(int n) throws Malformed {
    if (limit - pos < n) {
      throw new Malformed("truncated fixed-width field");
    }
    return n;
  }

  /** Valid UTF-8 from {@code offset} as a string, as protobuf-java requires for proto3 strings. */
  String string(int offset, int length) throws Malformed {
    for (int i = offset; i < offset + length; i++) {
      if (buf[i] < 0) {
        try {
          return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(buf, offset, length)).toString();
        } catch (CharacterCodingException e) {
          throw new Malformed(TracesDecoder.Rejection.INVALID_UTF8, "invalid UTF-8 in a string field");
        }
      }
    }
    return new String(buf, offset, length, StandardCharsets.ISO_8859_1); // ASCII: same as UTF-8, faster
  }

  /** Fails unless the bytes at {@code offset} are valid UTF-8; allocates only for non-ASCII text. */
  void checkUtf8(int offset, int length) throws Malformed {
    for (int i = offset; i < offset + length; i++) {
      if (buf[i] < 0) {
        string(offset, length);
        return;
      }
    }
  }

  /** Whether the bytes at {@code offset} are exactly {@code expected}. */
  boolean bytesEqual(int offset, int length, byte[] expected) {
    return length == expected.length
        && java.util.Arrays.equals(buf, offset, offset + length, expected, 0, expected.length);
  }

  /** A reader of the {@code length} bytes at {@code offset}: a message nested in this one. */
  WireReader sub(int offset, int length) throws Malformed {
    if (depth >= MAX_DEPTH) {
      throw new Malformed(TracesDecoder.Rejection.TOO_DEEP, "messages nested deeper than " + MAX_DEPTH + " levels");
    }
    return new WireReader(buf, offset, offset + length, depth + 1);
  }

  int depth() {
    return depth;
  }

  /** Re-targets this reader at another nested message, so walking spans allocates no readers. */
  WireReader reset(int offset, int length) {
    pos = offset;
    limit = offset + length;
    return this;
  }

  byte[] buffer() {
    return buf;
  }
}
