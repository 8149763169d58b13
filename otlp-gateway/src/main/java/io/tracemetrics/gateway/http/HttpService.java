package io.tracemetrics.gateway.http;

import java.util.concurrent.CompletableFuture;

/** What a {@link NettyHttpServer} asks for each complete request: its answer, possibly later. */
@FunctionalInterface
public interface HttpService {
  /**
   * Called on a worker thread, never on an I/O thread. The future must complete (the server holds the
   * connection until it does); the thread completing it writes the answer.
   */
  CompletableFuture<HttpAnswer> serve(ReceivedRequest request);
}
