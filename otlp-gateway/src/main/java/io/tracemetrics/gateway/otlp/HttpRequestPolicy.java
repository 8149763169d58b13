package io.tracemetrics.gateway.otlp;

import java.util.Locale;
import javax.annotation.Nullable;

/**
 * Decides, from the request line and headers alone, whether an OTLP/HTTP request is read at all, and in
 * which order the refusals apply: path (404), method (405), credentials (401), media type and content
 * encoding (415). The body checks (413, 400) come after.
 */
final class HttpRequestPolicy {
  static final String TRACES_PATH = "/v1/traces";

  private HttpRequestPolicy() {}

  /** Either a refusal ({@code status != 200}) or the format and encoding to read the body with. */
  record Admission(int status, String message, @Nullable BodyFormat format, boolean gzip) {
    boolean admitted() {
      return status == 200;
    }

    static Admission refuse(int status, String message, @Nullable BodyFormat format) {
      return new Admission(status, message, format, false);
    }
  }

  static Admission admit(String method, String path, @Nullable String contentType,
      @Nullable String contentEncoding, boolean authorized) {
    BodyFormat format = BodyFormat.ofContentType(contentType);
    if (!TRACES_PATH.equals(path)) {
      return Admission.refuse(404, "unknown path " + path + "; traces go to " + TRACES_PATH, format);
    }
    if (!"POST".equals(method)) {
      return Admission.refuse(405, "method " + method + " not allowed; use POST", format);
    }
    if (!authorized) {
      return Admission.refuse(401, "missing or wrong bearer token", format);
    }
    if (format == null) {
      return Admission.refuse(415, "unsupported Content-Type " + contentType
          + "; use application/x-protobuf or application/json", null);
    }
    String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    switch (encoding) {
      case "":
      case "identity":
        return new Admission(200, "", format, false);
      case "gzip":
      case "x-gzip":
        return new Admission(200, "", format, true);
      default:
        return Admission.refuse(415, "unsupported Content-Encoding " + contentEncoding
            + "; use gzip or none", format);
    }
  }
}
