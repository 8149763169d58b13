package io.tracemetrics.job.replay;

import java.util.Random;

/** Record values that are not OTLP: random bytes, or a protobuf field header promising more than follows. */
final class Poison {
  private Poison() {}

  static byte[] bytes(Random random) {
    if (random.nextBoolean()) {
      byte[] bytes = new byte[1 + random.nextInt(64)];
      random.nextBytes(bytes);
      return bytes;
    }
    // Field 1 (resource_spans), length-delimited, length 100, then only three bytes.
    return new byte[] {0x0a, 100, 1, 2, 3};
  }
}
