package io.tracemetrics.gateway.otlp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Decompresses a gzip request body with a bound on the decompressed size, so a small "zip bomb" cannot
 * take more than the limit of memory. (The server bounds the body as sent.)
 */
final class RequestBody {
  private RequestBody() {}

  /** The decompressed body exceeds the limit. */
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

  /** @param limit maximum decompressed bytes */
  static byte[] gunzip(byte[] raw, int limit) throws TooLargeException, MalformedException {
    try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return readAtMost(unzipped, limit);
    } catch (ZipException | java.io.EOFException e) {
      throw new MalformedException("body is not valid gzip: " + e.getMessage(), e);
    } catch (IOException e) {
      // Only the gzip format can fail here: the source is an array.
      throw new MalformedException("body is not valid gzip: " + e, e);
    }
  }

  private static byte[] readAtMost(InputStream in, int limit) throws IOException, TooLargeException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      total += n;
      if (total > limit) {
        throw new TooLargeException("decompressed body exceeds the limit of " + limit + " bytes");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
