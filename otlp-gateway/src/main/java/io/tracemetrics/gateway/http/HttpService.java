package io.tracemetrics.gateway.http;

import java.util.concurrent.CompletableFuture;

/** What a {@link NettyHttpServer} asks for each complete request: its answer, possibly later. */
@FunctionalInterface
public interface HttpService {
  /**
   * Called on a worker thread, or on the I/O thread that received the request when
   * {@link #servesOnIoThread} said so. The future must complete (the server holds the connection until it
   * does); the thread completing it writes the answer.
   */
  CompletableFuture<HttpAnswer> serve(ReceivedRequest request);

  /**
   * Whether {@link #serve} of this request is short and never waits, so the I/O thread that received it
   * may run it and spare the hand-over to a worker (a wake-up, and the body read again on another core).
   * Default {@code false}.
   */
  default boolean servesOnIoThread(ReceivedRequest request) {
    return false;
  }
}
