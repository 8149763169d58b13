package io.tracemetrics.gateway.otlp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body with a size bound that holds both before and after gzip decompression, so
 * neither a large upload nor a small "zip bomb" can take more than the limit of memory.
 */
final class RequestBody {
  /**
   * Declared lengths up to this are read straight into an array of that size (one copy, no growing);
   * larger ones grow with the data, so a client cannot make the gateway allocate the limit up front.
   */
  static final int PREALLOCATE_BYTES = 1 << 20;

  private RequestBody() {}

  /** The body, compressed or not, exceeds the limit. */
  static final class TooLargeException extends Exception {
    TooLargeException(String message) {
      super(message);
    }
  }

  /** The body is not valid gzip. */
  static final class MalformedException extends Exception {
    MalformedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @param contentLength the declared length, or -1 when unknown (chunked)
   * @param limit maximum bytes, both on the wire and decompressed
   */
  static byte[] read(InputStream in, long contentLength, boolean gzip, int limit)
      throws IOException, TooLargeException, MalformedException {
    if (contentLength > limit) {
      throw new TooLargeException("Content-Length " + contentLength + " exceeds the limit of " + limit + " bytes");
    }
    byte[] raw = contentLength >= 0 && contentLength <= PREALLOCATE_BYTES
        ? readDeclared(in, (int) contentLength)
        : readAtMost(in, limit, "body");
    if (!gzip) {
      return raw;
    }
    try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return readAtMost(unzipped, limit, "decompressed body");
    } catch (ZipException | java.io.EOFException e) {
      throw new MalformedException("body is not valid gzip: " + e.getMessage(), e);
    }
  }

  private static byte[] readDeclared(InputStream in, int length) throws IOException {
    byte[] body = new byte[length];
    int read = in.readNBytes(body, 0, length);
    if (read < length) {
      throw new IOException("body ended after " + read + " of the " + length + " declared bytes");
    }
    return body;
  }

  private static byte[] readAtMost(InputStream in, int limit, String what)
      throws IOException, TooLargeException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      total += n;
      if (total > limit) {
        throw new TooLargeException(what + " exceeds the limit of " + limit + " bytes");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
