package io.tracemetrics.sink;

import java.io.IOException;

/** A batch could not be delivered and the {@link FailurePolicy} says to fail the task. */
public final class RemoteWriteException extends IOException {
  private static final long serialVersionUID = 1L;

  RemoteWriteException(String message) {
    super(message);
  }

  RemoteWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
