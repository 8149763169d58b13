package io.tracemetrics.bench.compare;

import io.tracemetrics.bench.compare.load.Endpoint;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import java.time.Duration;
import java.util.Map;

/**
 * One stack under comparison, running: where it takes OTLP, the VictoriaMetrics it ends in, its processes
 * (to meter), and its two kinds of restart. Every stack writes the contract's metric names
 * ({@code llm_traces_span_metrics_calls_total} with {@code service_name}, {@code span_name},
 * {@code span_kind}, {@code status_code}).
 */
interface Stack extends AutoCloseable {

  StackKind kind();

  /** Its settings in a line or two, for the report. */
  String settings();

  Endpoint endpoint();

  VictoriaMetrics store();

  /** Name to pid of each of its processes now (a restart changes pids). */
  Map<String, Long> processes();

  /**
   * How long after a span ends its count may take to be queryable by the stack's configuration alone (flush,
   * scrape and batching intervals; window, out-of-orderness, idle timeout and checkpoint interval), plus the
   * store's own second or two.
   */
  Duration nominalDelay();

  /** The graceful restart its operators would do: SIGTERM and start (Collector), savepoint and restore (job). */
  void restartGracefully() throws Exception;

  /** A crash and a restart: SIGKILL and start again, from the newest retained checkpoint for the job. */
  void restartAfterKill() throws Exception;

  @Override
  void close();
}
