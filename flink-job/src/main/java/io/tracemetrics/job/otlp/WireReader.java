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
 * recursion through nested groups is bounded. The depth is checked per group and per nested message, never
 * per byte.
 *
 * <p>The limits are the gateway's (its {@code ingest.WireReader}, which validates every request before it
 * becomes a record): nesting {@value #MAX_DEPTH}, varints of at most {@value #MAX_VARINT_BYTES} bytes and 64
 * bits, tags and lengths of at most {@value #MAX_VARINT32_BYTES} bytes and 32 bits, lengths within their
 * message. Keep the two in step ({@code WireLimitsTest} on each side pins them). Where they differed, this
 * reader was the laxer: like protobuf-java it kept the low bits of a longer varint. The gateway's values are
 * the right ones for both: no encoder writes a longer varint, parsers disagree on one (protobuf-java and C++
 * keep low bits, Go refuses a value over 64 bits, so a Collector on the same topic may not read the record),
 * and the gateway answers such a request with 400. Such a record has no one meaning, so it is refused here
 * too, as undecodable (counted, dead-lettered), rather than counted with whatever bits a reader keeps.
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
  /** A varint value: 64 bits, so at most 10 bytes whose last is 0 or 1. */
  static final int MAX_VARINT_BYTES = 10;
  /** A tag or a length: 32 bits, so at most 5 bytes whose last is below 16. */
  static final int MAX_VARINT32_BYTES = 5;

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

  /** The next tag (field number and wire type); field number 0 is invalid. */
  int tag() throws Malformed {
    int tag = varint32("tag");
    if (tag >>> 3 == 0) {
      throw new Malformed("invalid tag " + Integer.toUnsignedString(tag));
    }
    return tag;
  }

  /** A varint value of at most 64 bits. */
  long varint() throws Malformed {
    long result = 0;
    for (int i = 0; i < MAX_VARINT_BYTES; i++) {
      if (pos >= limit) {
        throw new Malformed("truncated varint");
      }
      byte b = buf[pos++];
      if (i == MAX_VARINT_BYTES - 1 && (b & 0xFF) > 1) {
        break;
      }
      result |= (long) (b & 0x7F) << (7 * i);
      if (b >= 0) {
        return result;
      }
    }
    throw new Malformed("varint is longer than 64 bits");
  }

  /** Steps over a varint field's value, with the limits of {@link #varint}. */
  private void skipVarint() throws Malformed {
    for (int i = 0; i < MAX_VARINT_BYTES; i++) {
      if (pos >= limit) {
        throw new Malformed("truncated varint");
      }
      byte b = buf[pos++];
      if (b >= 0) {
        if (i == MAX_VARINT_BYTES - 1 && b > 1) {
          break;
        }
        return;
      }
    }
    throw new Malformed("varint is longer than 64 bits");
  }

  /** A tag or length: at most 5 bytes, 32 bits (as an int: lengths of 2^31 and more are negative). */
  private int varint32(String what) throws Malformed {
    int result = 0;
    for (int i = 0; i < MAX_VARINT32_BYTES; i++) {
      if (pos >= limit) {
        throw new Malformed("truncated varint");
      }
      byte b = buf[pos++];
      if (i == MAX_VARINT32_BYTES - 1 && (b & 0xF0) != 0) {
        break;
      }
      result |= (b & 0x7F) << (7 * i);
      if (b >= 0) {
        return result;
      }
    }
    throw new Malformed(what + " varint is longer than 32 bits");
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
    int length = varint32("length");
    if (length < 0 || length > limit - pos) {
      throw new Malformed("length " + Integer.toUnsignedString(length) + " beyond the enclosing message");
    }
    return length;
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
