package io.tracemetrics.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8CheckTest {

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource({
      "empty,                         '',                  true",
      "ascii,                         48656c6c6f,          true",
      "ascii over 8 bytes,            414243444546474849,  true",
      "two-byte e-acute,              c3a9,                true",
      "three-byte euro,               e282ac,              true",
      "four-byte emoji,               f09f9880,            true",
      "highest code point U+10FFFF,   f48fbfbf,            true",
      "last before surrogates,        ed9fbf,              true",
      "multi-byte after 8 ascii,      4142434445464748c3a9, true",
      "lone continuation,             80,                  false",
      "overlong slash C0 AF,          c0af,                false",
      "overlong C1,                   c1bf,                false",
      "overlong three-byte,           e080af,              false",
      "overlong four-byte,            f08fbfbf,            false",
      "surrogate D800,                eda080,              false",
      "surrogate DFFF,                edbfbf,              false",
      "above U+10FFFF,                f4908080,            false",
      "F5 lead,                       f5808080,            false",
      "FF byte,                       ff,                  false",
      "truncated two-byte,            c3,                  false",
      "truncated three-byte,          e282,                false",
      "bad second continuation,       e228ac,              false",
      "bad third continuation,        e282ff,              false",
      "invalid after 8 ascii,         414243444546474880,  false",
      "invalid in the overlap tail,   41424344454647484980, false",
  })
  void checksWellFormedUtf8(String name, String hex, boolean valid) {
    byte[] bytes = HexFormat.of().parseHex(hex);

    assertThat(Utf8Check.isValid(bytes, 0, bytes.length)).isEqualTo(valid);
  }

  @Test
  void checksOnlyTheGivenRange() {
    byte[] bytes = {(byte) 0xff, 'a', 'b', (byte) 0xff};

    assertThat(Utf8Check.isValid(bytes, 1, 3)).isTrue();
    assertThat(Utf8Check.isValid(bytes, 0, 3)).isFalse();
  }

  @Test
  void agreesWithTheJdkDecoderOnRandomInput() {
    SplittableRandom random = new SplittableRandom(7);
    int[] leads = {0x41, 0x7f, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5};
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = new byte[random.nextInt(24)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (random.nextInt(3) == 0 ? leads[random.nextInt(leads.length)] : random.nextInt(256));
      }
      assertThat(Utf8Check.isValid(bytes, 0, bytes.length))
          .as(HexFormat.of().formatHex(bytes)).isEqualTo(jdkAccepts(bytes));
    }
  }

  @Test
  void agreesWithTheJdkDecoderOnRangesInsideALargerArray() {
    // The word-at-a-time reads must stay inside the range: bytes around it, valid or not, do not count.
    SplittableRandom random = new SplittableRandom(13);
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = new byte[8 + random.nextInt(32)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (random.nextInt(4) == 0 ? 0x80 | random.nextInt(0x80) : random.nextInt(0x80));
      }
      int from = random.nextInt(bytes.length);
      int to = from + random.nextInt(Math.min(12, bytes.length - from) + 1);
      byte[] range = java.util.Arrays.copyOfRange(bytes, from, to);
      assertThat(Utf8Check.isValid(bytes, from, to))
          .as("%s [%d, %d)", HexFormat.of().formatHex(bytes), from, to).isEqualTo(jdkAccepts(range));
    }
  }

  @Test
  void acceptsEncodedTextAndAgreesWithTheJdkAfterOneByteIsChanged() {
    SplittableRandom random = new SplittableRandom(11);
    for (int n = 0; n < 5_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int c = random.nextInt(12); c > 0; c--) {
        int codePoint = switch (random.nextInt(4)) {
          case 0 -> random.nextInt(0x80);
          case 1 -> random.nextInt(0x80, 0x800);
          case 2 -> random.nextBoolean() ? random.nextInt(0x800, 0xd800) : random.nextInt(0xe000, 0x10000);
          default -> random.nextInt(0x10000, 0x110000);
        };
        text.appendCodePoint(codePoint);
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      assertThat(Utf8Check.isValid(bytes, 0, bytes.length)).isTrue();
      if (bytes.length > 0) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        assertThat(Utf8Check.isValid(bytes, 0, bytes.length))
            .as(HexFormat.of().formatHex(bytes)).isEqualTo(jdkAccepts(bytes));
      }
    }
  }

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
