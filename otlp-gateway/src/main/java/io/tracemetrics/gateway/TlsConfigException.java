package io.tracemetrics.gateway;

/** A TLS file is missing, unreadable or invalid; the message names the file, never its content. */
public final class TlsConfigException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  TlsConfigException(String message) {
    super(message);
  }

  TlsConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
