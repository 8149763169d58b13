package io.tracemetrics.gateway.ingest;

import java.io.ByteArrayOutputStream;

/** Hand-made protobuf wire bytes for tests, including encodings the generated classes never write. */
final class Wire {
  private Wire() {}

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  static byte[] varint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((value & ~0x7fL) != 0) {
      out.write((int) (value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
    return out.toByteArray();
  }

  static byte[] tag(int number, int wireType) {
    return varint((long) number << 3 | wireType);
  }

  /** A length-delimited field holding the concatenated parts. */
  static byte[] len(int number, byte[]... parts) {
    byte[] payload = cat(parts);
    return cat(tag(number, 2), varint(payload.length), payload);
  }

  static byte[] string(int number, String text) {
    return len(number, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static byte[] varintField(int number, long value) {
    return cat(tag(number, 0), varint(value));
  }

  static byte[] fixed64(int number, long value) {
    return cat(tag(number, 1), java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putLong(value).array());
  }

  static byte[] fixed32(int number, int value) {
    return cat(tag(number, 5), java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putInt(value).array());
  }

  static byte[] group(int number, byte[]... content) {
    return cat(tag(number, 3), cat(content), tag(number, 4));
  }

  // OTLP shapes: request(resourceSpans(resource, scopeSpans(scope, span(...))))
  static byte[] request(byte[]... resourceSpans) {
    return cat(resourceSpans);
  }

  static byte[] resourceSpans(byte[]... fields) {
    return len(1, fields);
  }

  static byte[] resource(String serviceName) {
    return len(1, len(1, string(1, "service.name"), len(2, string(1, serviceName))));
  }

  static byte[] scopeSpans(byte[]... fields) {
    return len(2, fields);
  }

  static byte[] scope(String name) {
    return len(1, string(1, name));
  }

  static byte[] span(byte[]... fields) {
    return len(2, fields);
  }

  /** A small valid span's fields: ids, name, kind, times. */
  static byte[] spanFields(String name) {
    return cat(len(1, new byte[16]), len(2, new byte[8]), string(5, name), varintField(6, 2),
        fixed64(7, 1_700_000_000_000_000_000L), fixed64(8, 1_700_000_000_050_000_000L));
  }
}
