package io.tracemetrics.bench.otlp;

/** One way of delivering one pre-encoded request and waiting for its answer; one thread uses it at a time. */
public interface LoadCall extends AutoCloseable {

  /**
   * Sends {@code request} and waits for the answer. Transport failures are outcomes too
   * ({@link SendOutcome#CONNECT_REFUSED}, {@link SendOutcome#NO_ANSWER}); only a call that has no such
   * distinction to make (a Kafka producer in the gateway harness) throws.
   */
  SendOutcome send(byte[] request) throws Exception;

  @Override
  default void close() throws Exception {}
}
