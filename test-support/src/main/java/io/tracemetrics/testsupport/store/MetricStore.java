package io.tracemetrics.testsupport.store;

/** A running store that takes Prometheus Remote-Write and answers PromQL: VictoriaMetrics or Prometheus. */
public interface MetricStore extends AutoCloseable {

  /** {@code http://127.0.0.1:<port>}. */
  String baseUrl();

  /** Where a Remote-Write 1.0 client sends to. */
  String remoteWriteUrl();

  /** A PromQL client for this store. */
  PromQuery query();

  /** Stops the store and deletes its data. */
  @Override
  void close();
}
