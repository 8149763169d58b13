package io.tracemetrics.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

  @Test
  void readsPlainBodyUpToTheLimit() throws Exception {
    byte[] body = new byte[1000];

    assertThat(RequestBody.read(new ByteArrayInputStream(body), 1000, false, 1000)).hasSize(1000);
  }

  @Test
  void refusesDeclaredLengthOverTheLimitWithoutReading() {
    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(new byte[0]), 1001, false, 1000))
        .isInstanceOf(RequestBody.TooLargeException.class);
  }

  @Test
  void refusesChunkedBodyOverTheLimit() {
    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(new byte[1001]), -1, false, 1000))
        .isInstanceOf(RequestBody.TooLargeException.class);
  }

  @Test
  void gunzipsBody() throws Exception {
    byte[] plain = "hello otlp".repeat(50).getBytes();

    assertThat(RequestBody.read(new ByteArrayInputStream(gzip(plain)), -1, true, 1000)).isEqualTo(plain);
  }

  @Test
  void limitAlsoBoundsTheDecompressedSize() throws Exception {
    byte[] zeros = gzip(new byte[100_000]);
    assertThat(zeros.length).isLessThan(1000);

    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(zeros), zeros.length, true, 10_000))
        .isInstanceOf(RequestBody.TooLargeException.class)
        .hasMessageContaining("decompressed");
  }

  @Test
  void badGzipIsMalformed() {
    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4}), 4, true, 1000))
        .isInstanceOf(RequestBody.MalformedException.class);
  }

  @Test
  void truncatedGzipIsMalformed() throws Exception {
    byte[] zipped = gzip("some spans".repeat(100).getBytes());
    byte[] truncated = java.util.Arrays.copyOf(zipped, zipped.length / 2);

    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(truncated), -1, true, 10_000))
        .isInstanceOf(RequestBody.MalformedException.class);
  }

  static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(plain);
    }
    return out.toByteArray();
  }

  @Test
  void bodyShorterThanItsDeclaredLengthIsAnError() {
    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(new byte[10]), 20, false, 1000))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("10 of the 20");
  }

  @Test
  void declaredLengthOverThePreallocationIsReadAsAStream() throws Exception {
    byte[] body = new byte[RequestBody.PREALLOCATE_BYTES + 5];

    assertThat(RequestBody.read(new ByteArrayInputStream(body), body.length, false, body.length)).isEqualTo(body);
  }
}
