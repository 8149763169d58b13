package io.tracemetrics.gateway.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Well-formed UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing above U+10FFFF),
 * checked in place. proto3 parsers refuse a {@code string} field that is not, so a record holding one
 * would be undecodable for every consumer. Mostly-ASCII text is checked eight bytes at a time.
 */
final class Utf8Check {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8Check() {}

  /** Whether {@code bytes[from, to)} is well-formed UTF-8. */
  static boolean isValid(byte[] bytes, int from, int to) {
    return isAscii(bytes, from, to) || isValidMultiByte(bytes, from, to);
  }

  /** One branch per string for the common case: OTLP strings are mostly short and ASCII. */
  private static boolean isAscii(byte[] bytes, int from, int to) {
    long any = 0;
    if (to - from < Long.BYTES) {
      for (int i = from; i < to; i++) {
        any |= bytes[i];   // sign-extended: a byte >= 0x80 sets every high bit
      }
      return any >= 0;
    }
    for (int i = from; i < to - Long.BYTES; i += Long.BYTES) {
      any |= (long) LONGS.get(bytes, i);
    }
    any |= (long) LONGS.get(bytes, to - Long.BYTES);   // the last 8 bytes, overlapping the loop's
    return (any & HIGH_BITS) == 0;
  }

  /** {@link #isValid}, without first trying whether the range is all ASCII (for callers that know it is not). */
  static boolean isValidMultiByte(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      if (bytes[i] >= 0) {
        i++;
      } else {
        i = sequenceEnd(bytes, i, to);
        if (i < 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** End of the multi-byte sequence starting at {@code i}, or -1 when it is malformed. */
  private static int sequenceEnd(byte[] bytes, int i, int to) {
    int lead = bytes[i] & 0xff;
    int length;
    int min2;
    int max2;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2; min2 = 0x80; max2 = 0xbf;
    } else if (lead == 0xe0) {
      length = 3; min2 = 0xa0; max2 = 0xbf;    // below A0: overlong
    } else if (lead == 0xed) {
      length = 3; min2 = 0x80; max2 = 0x9f;    // above 9F: surrogates D800-DFFF
    } else if (lead >= 0xe1 && lead <= 0xef) {
      length = 3; min2 = 0x80; max2 = 0xbf;
    } else if (lead == 0xf0) {
      length = 4; min2 = 0x90; max2 = 0xbf;    // below 90: overlong
    } else if (lead >= 0xf1 && lead <= 0xf3) {
      length = 4; min2 = 0x80; max2 = 0xbf;
    } else if (lead == 0xf4) {
      length = 4; min2 = 0x80; max2 = 0x8f;    // above 8F: beyond U+10FFFF
    } else {
      return -1;                               // continuation byte, C0/C1 overlong, F5-FF
    }
    if (to - i < length) {
      return -1;
    }
    int second = bytes[i + 1] & 0xff;
    if (second < min2 || second > max2) {
      return -1;
    }
    for (int k = 2; k < length; k++) {
      if ((bytes[i + k] & 0xc0) != 0x80) {
        return -1;
      }
    }
    return i + length;
  }
}
