package io.tracemetrics.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The body limits as sent are {@code NettyHttpServerTest}'s; this is the decompressed bound. */
class RequestBodyTest {

  @Test
  void gunzipsBody() throws Exception {
    byte[] plain = "hello otlp".repeat(50).getBytes();

    assertThat(RequestBody.gunzip(gzip(plain), 1000)).isEqualTo(plain);
  }

  @Test
  void decompressedBodyExactlyAtTheLimitIsAccepted() throws Exception {
    assertThat(RequestBody.gunzip(gzip(new byte[1000]), 1000)).hasSize(1000);
  }

  @Test
  void limitBoundsTheDecompressedSize() throws Exception {
    byte[] zeros = gzip(new byte[100_000]);
    assertThat(zeros.length).isLessThan(1000);

    assertThatThrownBy(() -> RequestBody.gunzip(zeros, 10_000))
        .isInstanceOf(RequestBody.TooLargeException.class)
        .hasMessageContaining("decompressed");
  }

  @Test
  void badGzipIsMalformed() {
    assertThatThrownBy(() -> RequestBody.gunzip(new byte[] {1, 2, 3, 4}, 1000))
        .isInstanceOf(RequestBody.MalformedException.class);
  }

  @Test
  void truncatedGzipIsMalformed() throws Exception {
    byte[] zipped = gzip("some spans".repeat(100).getBytes());
    byte[] truncated = java.util.Arrays.copyOf(zipped, zipped.length / 2);

    assertThatThrownBy(() -> RequestBody.gunzip(truncated, 10_000))
        .isInstanceOf(RequestBody.MalformedException.class);
  }

  static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(plain);
    }
    return out.toByteArray();
  }
}
