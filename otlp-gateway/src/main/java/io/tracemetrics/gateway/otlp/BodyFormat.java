package io.tracemetrics.gateway.otlp;

import java.util.Locale;
import javax.annotation.Nullable;

/** The two OTLP/HTTP encodings. */
enum BodyFormat {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private final String mediaType;

  BodyFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  String mediaType() {
    return mediaType;
  }

  /** The format of a Content-Type header (parameters such as charset ignored); null when unsupported. */
  @Nullable
  static BodyFormat ofContentType(@Nullable String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .trim().toLowerCase(Locale.ROOT);
    for (BodyFormat format : values()) {
      if (format.mediaType.equals(media)) {
        return format;
      }
    }
    return null;
  }
}
