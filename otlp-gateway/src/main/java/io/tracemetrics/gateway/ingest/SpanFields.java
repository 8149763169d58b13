package io.tracemetrics.gateway.ingest;

import com.google.protobuf.WireFormat;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The fields of a span as SDKs write them, checked with the wire format of {@code Span}, {@code KeyValue},
 * {@code AnyValue} and {@code Status} written out: no table lookup, no recursion, positions in locals,
 * and ASCII strings recognised with a few 8-byte loads. Spans are where a request's bytes are (some
 * 30 fields each), so this is where the scan spends its time; {@link WireReader} stays the reference.
 * Whatever is not written out here (tags over one byte but {@code flags}, lengths over two bytes, events,
 * links, array and map values, unknown fields, anything malformed) is handed back as {@link #GENERIC}, and
 * the caller checks that field with the generic reader from its start: what is accepted, and every error
 * message, are the generic reader's. The tags written out are checked against the schema on the
 * classpath when the class loads.
 */
final class SpanFields {
  /** Returned for a field this class leaves to the generic reader. */
  static final int GENERIC = -1;

  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;
  private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int FIXED32 = WireFormat.WIRETYPE_FIXED32;

  // Tags of one byte (fields 1-15), as they are on the wire.
  private static final byte TRACE_ID = 1 << 3 | LENGTH_DELIMITED;
  private static final byte SPAN_ID = 2 << 3 | LENGTH_DELIMITED;
  private static final byte TRACE_STATE = 3 << 3 | LENGTH_DELIMITED;
  private static final byte PARENT_SPAN_ID = 4 << 3 | LENGTH_DELIMITED;
  private static final byte NAME = 5 << 3 | LENGTH_DELIMITED;
  private static final byte KIND = 6 << 3 | VARINT;
  private static final byte START_TIME = 7 << 3 | FIXED64;
  private static final byte END_TIME = 8 << 3 | FIXED64;
  private static final byte ATTRIBUTES = 9 << 3 | LENGTH_DELIMITED;
  private static final byte DROPPED_ATTRIBUTES = 10 << 3 | VARINT;
  private static final byte DROPPED_EVENTS = 12 << 3 | VARINT;
  private static final byte DROPPED_LINKS = 14 << 3 | VARINT;
  private static final byte STATUS = 15 << 3 | LENGTH_DELIMITED;
  /** Span.flags, field 16: a tag of two bytes, this one and then 1. */
  private static final byte FLAGS_FIRST_BYTE = (byte) (16 << 3 | FIXED32 | 0x80);

  private static final byte KEY = 1 << 3 | LENGTH_DELIMITED;
  private static final byte VALUE = 2 << 3 | LENGTH_DELIMITED;
  private static final byte KEY_STRINDEX = 3 << 3 | VARINT;

  private static final byte STRING_VALUE = 1 << 3 | LENGTH_DELIMITED;
  private static final byte BOOL_VALUE = 2 << 3 | VARINT;
  private static final byte INT_VALUE = 3 << 3 | VARINT;
  private static final byte DOUBLE_VALUE = 4 << 3 | FIXED64;
  private static final byte BYTES_VALUE = 7 << 3 | LENGTH_DELIMITED;
  private static final byte STRING_VALUE_STRINDEX = 8 << 3 | VARINT;

  private static final byte STATUS_MESSAGE = 2 << 3 | LENGTH_DELIMITED;
  private static final byte STATUS_CODE = 3 << 3 | VARINT;

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  /** Bytes of the shortest KeyValue with a string or int value: an empty key, an empty string or a 0. */
  private static final int SHORT_ATTRIBUTE_MIN = 6;
  private static final long HIGH_BITS = 0x8080808080808080L;
  /** The high bits of the last {@code n} bytes of a little-endian long, for n = 0..8. */
  private static final long[] LAST_HIGH_BITS = new long[Long.BYTES + 1];

  static {
    for (int n = 1; n <= Long.BYTES; n++) {
      LAST_HIGH_BITS[n] = HIGH_BITS << (Long.BYTES - n) * Byte.SIZE;
    }
  }

  private final byte[] bytes;

  SpanFields(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Checks the fields of a span from {@code p} (the start of a field) to its {@code end}, and returns
   * {@code end}, or the start of the first field it leaves to the generic reader.
   */
  int fields(int p, int end) {
    while (p < end) {
      int next = field(p, end);
      if (next == GENERIC) {
        return p;
      }
      p = next;
    }
    return p;
  }

  /**
   * Checks the field of a span starting at {@code p} (before {@code end}, the span's end) and returns
   * where it ends, or {@link #GENERIC}.
   */
  private int field(int p, int end) {
    return switch (bytes[p]) {
      case TRACE_ID, SPAN_ID, PARENT_SPAN_ID -> bytesEnd(p + 1, end);
      case TRACE_STATE, NAME -> stringEnd(p + 1, end);
      case KIND, DROPPED_ATTRIBUTES, DROPPED_EVENTS, DROPPED_LINKS -> varintEnd(p + 1, end);
      case START_TIME, END_TIME -> fixedEnd(p + 1, Long.BYTES, end);
      case ATTRIBUTES -> keyValueEnd(p + 1, end);
      case STATUS -> statusEnd(p + 1, end);
      case FLAGS_FIRST_BYTE -> p + 1 < end && bytes[p + 1] == 1 ? fixedEnd(p + 2, Integer.BYTES, end) : GENERIC;
      default -> GENERIC;
    };
  }

  /**
   * A KeyValue as SDKs write it: the key, then the value with one field; in any other shape (no key,
   * fields twice, the value first, an array or map value) it is left to the generic reader. The most
   * common ones, a string or int value under 128 bytes with a key under 128 bytes, are checked first with
   * two loads: {@code 0a klen key... 12 vlen 0a slen string...} or {@code ... 12 vlen 18 varint...}, the
   * value's field ending the pair.
   */
  private int keyValueEnd(int q, int end) {
    long keyValue = payload(q, end);
    if (keyValue < 0) {
      return GENERIC;
    }
    int stop = (int) keyValue;
    int p = (int) (keyValue >>> 32);
    if (stop - p >= SHORT_ATTRIBUTE_MIN) {
      int key = (short) SHORTS.get(bytes, p);             // the key's tag and length
      int keyEnd = p + 2 + (key >>> 8 & 0x7f);
      if ((key & 0x80ff) == KEY && keyEnd + 4 <= stop) {
        int value = (int) INTS.get(bytes, keyEnd);        // the value's tag and length, its field's tag, a byte
        int field = value >>> 16;
        if ((value & 0x80ff) == VALUE && keyEnd + 2 + (value >>> 8 & 0x7f) == stop) {
          if ((field & 0x80ff) == STRING_VALUE && keyEnd + 4 + (field >>> 8) == stop) {
            return utf8(p + 2, keyEnd) && utf8(keyEnd + 4, stop) ? stop : GENERIC;
          }
          if ((field & 0xff) == INT_VALUE && varintEnd(keyEnd + 3, stop) == stop) {
            return utf8(p + 2, keyEnd) ? stop : GENERIC;
          }
        }
      }
    }
    if (p >= stop || bytes[p] != KEY) {
      return GENERIC;
    }
    p = stringEnd(p + 1, stop);
    if (p < 0 || p >= stop || bytes[p] != VALUE) {
      return GENERIC;
    }
    long value = payload(p + 1, stop);
    if ((int) value != stop) {   // GENERIC too
      return GENERIC;
    }
    p = (int) (value >>> 32);
    if (p == stop) {
      return stop;   // an empty value
    }
    int valueEnd = switch (bytes[p]) {
      case STRING_VALUE -> stringEnd(p + 1, stop);
      case BOOL_VALUE, INT_VALUE, STRING_VALUE_STRINDEX -> varintEnd(p + 1, stop);
      case DOUBLE_VALUE -> fixedEnd(p + 1, Long.BYTES, stop);
      case BYTES_VALUE -> bytesEnd(p + 1, stop);
      default -> GENERIC;   // array_value, kvlist_value, unknown fields
    };
    return valueEnd == stop ? stop : GENERIC;
  }

  private int statusEnd(int q, int end) {
    long payload = payload(q, end);
    if (payload < 0) {
      return GENERIC;
    }
    int stop = (int) payload;
    for (int p = (int) (payload >>> 32); p < stop; ) {
      p = switch (bytes[p]) {
        case STATUS_MESSAGE -> stringEnd(p + 1, stop);
        case STATUS_CODE -> varintEnd(p + 1, stop);
        default -> GENERIC;
      };
      if (p < 0) {
        return GENERIC;
      }
    }
    return stop;
  }

  private int stringEnd(int q, int end) {
    long payload = payload(q, end);
    if (payload < 0) {
      return GENERIC;
    }
    int stop = (int) payload;
    return utf8((int) (payload >>> 32), stop) ? stop : GENERIC;
  }

  /** Whether {@code bytes[from, to)} is UTF-8: ASCII seen with a few loads, anything else checked exactly. */
  private boolean utf8(int from, int to) {
    return (highBits(from, to) & HIGH_BITS) == 0 || Utf8Check.isValidMultiByte(bytes, from, to);
  }

  /**
   * Bytes of {@code bytes[from, to)} ORed together, where only the high bit of each byte counts: up to four
   * loads and no branch on the content for strings up to 32 bytes, as most of a span's are (a string is
   * nearly always preceded by its tag and length, so the 8 bytes before its end are in the array).
   */
  private long highBits(int from, int to) {
    int length = to - from;
    if (length <= Long.BYTES) {
      return to >= Long.BYTES ? (long) LONGS.get(bytes, to - Long.BYTES) & LAST_HIGH_BITS[length] : orOfBytes(from, to);
    }
    long any = (long) LONGS.get(bytes, from) | (long) LONGS.get(bytes, to - Long.BYTES);
    if (length <= 2 * Long.BYTES) {
      return any;
    }
    if (length <= 4 * Long.BYTES) {
      return any | (long) LONGS.get(bytes, from + Long.BYTES) | (long) LONGS.get(bytes, to - 2 * Long.BYTES);
    }
    return orOfBytes(from, to);
  }

  /** The bytes of {@code bytes[from, to)} ORed together, for long strings and short ones at the array's start. */
  private long orOfBytes(int from, int to) {
    long any = 0;
    int i = from;
    for (; i <= to - Long.BYTES; i += Long.BYTES) {
      any |= (long) LONGS.get(bytes, i);
    }
    for (; i < to; i++) {
      any |= bytes[i];   // sign-extended: a byte >= 0x80 sets every high bit
    }
    return any;
  }

  private int bytesEnd(int q, int end) {
    long payload = payload(q, end);
    return payload < 0 ? GENERIC : (int) payload;
  }

  /**
   * The payload of a length-delimited field whose length starts at {@code q}: its start in the high 32
   * bits, its end in the low ones; negative for a length over two bytes or one running past {@code end}.
   */
  private long payload(int q, int end) {
    if (q >= end) {
      return GENERIC;
    }
    int length = bytes[q++];
    if (length < 0) {
      if (q >= end || bytes[q] < 0) {
        return GENERIC;
      }
      length = length & 0x7f | bytes[q++] << 7;
    }
    if (length > end - q) {
      return GENERIC;
    }
    return (long) q << 32 | (q + length);
  }

  private int varintEnd(int q, int end) {
    int tenth = q + 9;
    for (int limit = Math.min(end, q + 10); q < limit; ) {
      int b = bytes[q++];
      if (b >= 0) {
        return b > 1 && q > tenth ? GENERIC : q;   // over 64 bits: the generic reader refuses it
      }
    }
    return GENERIC;
  }

  private static int fixedEnd(int q, int width, int end) {
    return width <= end - q ? q + width : GENERIC;
  }

  /**
   * Fails unless the schema on the classpath gives every tag written out above the action taken here,
   * so that a change of the OTLP protos cannot make this class accept what the generic reader refuses.
   */
  static void checkAgainst(WireSchema span) {
    expect(span, new int[][] {
        {TRACE_ID, WireSchema.SKIP_BYTES}, {SPAN_ID, WireSchema.SKIP_BYTES},
        {PARENT_SPAN_ID, WireSchema.SKIP_BYTES}, {TRACE_STATE, WireSchema.CHECK_STRING},
        {NAME, WireSchema.CHECK_STRING}, {KIND, WireSchema.SKIP_VARINT},
        {DROPPED_ATTRIBUTES, WireSchema.SKIP_VARINT}, {DROPPED_EVENTS, WireSchema.SKIP_VARINT},
        {DROPPED_LINKS, WireSchema.SKIP_VARINT}, {START_TIME, WireSchema.SKIP_FIXED64},
        {END_TIME, WireSchema.SKIP_FIXED64}, {ATTRIBUTES, WireSchema.ENTER_MESSAGE},
        {STATUS, WireSchema.ENTER_MESSAGE}, {WireReader.tag(16, FIXED32), WireSchema.SKIP_FIXED32}});
    WireSchema keyValue = expectChild(span, ATTRIBUTES, "KeyValue");
    expect(keyValue, new int[][] {
        {KEY, WireSchema.CHECK_STRING}, {VALUE, WireSchema.ENTER_MESSAGE}, {KEY_STRINDEX, WireSchema.SKIP_VARINT}});
    expect(expectChild(keyValue, VALUE, "AnyValue"), new int[][] {
        {STRING_VALUE, WireSchema.CHECK_STRING}, {BOOL_VALUE, WireSchema.SKIP_VARINT},
        {INT_VALUE, WireSchema.SKIP_VARINT}, {STRING_VALUE_STRINDEX, WireSchema.SKIP_VARINT},
        {DOUBLE_VALUE, WireSchema.SKIP_FIXED64}, {BYTES_VALUE, WireSchema.SKIP_BYTES}});
    expect(expectChild(span, STATUS, "Status"), new int[][] {
        {STATUS_MESSAGE, WireSchema.CHECK_STRING}, {STATUS_CODE, WireSchema.SKIP_VARINT}});
    if ((byte) (WireReader.tag(16, FIXED32) | 0x80) != FLAGS_FIRST_BYTE || WireReader.tag(16, FIXED32) >>> 7 != 1) {
      throw new IllegalStateException("the span fast path's tag of Span.flags is wrong");
    }
  }

  private static WireSchema expectChild(WireSchema schema, int tag, String name) {
    WireSchema child = schema.child(tag >>> 3);
    if (child == null || !child.name().equals(name)) {
      throw new IllegalStateException("the span fast path expects " + schema.describe(tag >>> 3) + " to be a " + name);
    }
    return child;
  }

  private static void expect(WireSchema schema, int[][] actions) {
    for (int[] tagAndAction : actions) {
      if (schema.action(tagAndAction[0]) != tagAndAction[1]) {
        throw new IllegalStateException("the span fast path does not match the schema at "
            + schema.describe(tagAndAction[0] >>> 3) + ", wire type " + (tagAndAction[0] & 7));
      }
    }
  }
}
