package io.tracemetrics.bench.gateway;

/** One way of delivering one pre-encoded request and waiting for its acknowledgement. */
interface LoadCall extends AutoCloseable {

  /** Sends {@code request}; true when it was acknowledged, false when it was refused. */
  boolean send(byte[] request) throws Exception;

  @Override
  default void close() throws Exception {}
}
