package io.tracemetrics.job.otlp;

/**
 * One OTLP {@code KeyValue} read off the wire without building it: where its key is, and the case and place
 * of its value. Reused from attribute to attribute. Fields that repeat behave as in protobuf-java: the last
 * key wins, and of the values the last one that sets a case.
 */
final class WireAttribute {
  static final int NOT_SET = 0;
  static final int STRING = 1;
  static final int OTHER = 2;

  private static final int KEY = 1 << 3 | WireReader.LEN;
  private static final int VALUE = 2 << 3 | WireReader.LEN;
  private static final int STRING_VALUE = 1 << 3 | WireReader.LEN;
  private static final int BOOL_VALUE = 2 << 3 | WireReader.VARINT;
  private static final int INT_VALUE = 3 << 3 | WireReader.VARINT;
  private static final int DOUBLE_VALUE = 4 << 3 | WireReader.FIXED64;
  private static final int ARRAY_VALUE = 5 << 3 | WireReader.LEN;
  private static final int KVLIST_VALUE = 6 << 3 | WireReader.LEN;
  private static final int BYTES_VALUE = 7 << 3 | WireReader.LEN;

  int keyOffset;
  int keyLength;
  int valueCase;
  int stringOffset;
  int stringLength;

  /** Reads the KeyValue that {@code in} spans, checking its key and string value are valid UTF-8. */
  WireAttribute read(WireReader in) throws WireReader.Malformed {
    keyOffset = 0;
    keyLength = 0;
    valueCase = NOT_SET;
    while (in.more()) {
      int tag = in.tag();
      if (tag == KEY) {
        keyLength = in.length();
        keyOffset = in.pos();
        in.advance(keyLength);
        in.checkUtf8(keyOffset, keyLength);
      } else if (tag == VALUE) {
        int length = in.length();
        int offset = in.pos();
        in.advance(length);
        readValue(in.sub(offset, length));
      } else {
        in.skip(tag);
      }
    }
    return this;
  }

  private void readValue(WireReader in) throws WireReader.Malformed {
    while (in.more()) {
      int tag = in.tag();
      if (tag == STRING_VALUE) {
        stringLength = in.length();
        stringOffset = in.pos();
        in.advance(stringLength);
        in.checkUtf8(stringOffset, stringLength);
        valueCase = STRING;
      } else {
        in.skip(tag);
        if (tag == BOOL_VALUE || tag == INT_VALUE || tag == DOUBLE_VALUE || tag == ARRAY_VALUE
            || tag == KVLIST_VALUE || tag == BYTES_VALUE) {
          valueCase = OTHER;
        }
      }
    }
  }
}
