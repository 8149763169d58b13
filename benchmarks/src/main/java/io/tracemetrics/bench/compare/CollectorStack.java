package io.tracemetrics.bench.compare;

import io.tracemetrics.bench.compare.load.Endpoint;
import io.tracemetrics.testsupport.peers.Collector;
import io.tracemetrics.testsupport.store.Prometheus;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Collector's {@code spanmetrics} connector (the peer built by {@code scripts/ensure-peers.sh}) with the
 * contract's namespace, in one of two set-ups:
 * <ul>
 *   <li>{@link StackKind#SEED}, as the seed documents it: OTLP in, {@code spanmetrics} with its default flush
 *       (60 s), the {@code prometheus} exporter, a Prometheus scraping it every 10 s and remote-writing to
 *       VictoriaMetrics;
 *   <li>{@link StackKind#COLLECTOR_RW}, its fastest honest set-up: {@code memory_limiter} and {@code batch}
 *       before {@code spanmetrics} (flushing every 10 s, the job's window), whose metrics the
 *       {@code prometheusremotewrite} exporter writes straight to VictoriaMetrics.
 * </ul>
 */
final class CollectorStack implements Stack {
  static final Duration SEED_FLUSH = Duration.ofSeconds(60);
  static final Duration SEED_SCRAPE = Duration.ofSeconds(10);
  static final Duration RW_FLUSH = Duration.ofSeconds(10);
  /** The memory limiter's hard limit; its spike limit is a quarter of it. */
  static final int MEMORY_LIMIT_MIB = 1024;

  /** Both set-ups take OTLP/gRPC on port 1 and OTLP/HTTP on port 2. */
  private static final String OTLP_IN = """
      receivers:
        otlp:
          protocols:
            grpc:
              endpoint: 127.0.0.1:${PORT_1}
            http:
              endpoint: 127.0.0.1:${PORT_2}
      """;

  private final StackKind kind;
  private final VictoriaMetrics store;
  private final Prometheus prometheus;
  private final Collector collector;

  private CollectorStack(StackKind kind, VictoriaMetrics store, Prometheus prometheus, Collector collector) {
    this.kind = kind;
    this.store = store;
    this.prometheus = prometheus;
    this.collector = collector;
  }

  static CollectorStack start(StackKind kind) {
    VictoriaMetrics store = VictoriaMetrics.builder().start();
    Collector collector = null;
    try {
      if (kind == StackKind.SEED) {
        collector = Collector.start(seedConfig());
        Prometheus prometheus = Prometheus.builder()
            .scrapeInterval(SEED_SCRAPE)
            .scrapeTarget("otelcol", "127.0.0.1:" + collector.port(3))
            .remoteWrite(store.remoteWriteUrl())
            .start();
        return new CollectorStack(kind, store, prometheus, collector);
      }
      collector = Collector.start(remoteWriteConfig(store.remoteWriteUrl()));
      return new CollectorStack(kind, store, null, collector);
    } catch (RuntimeException e) {
      if (collector != null) {
        collector.close();
      }
      store.close();
      throw e;
    }
  }

  static String seedConfig() {
    return OTLP_IN + """
        connectors:
          spanmetrics:
            namespace: llm_traces.span_metrics
        exporters:
          prometheus:
            endpoint: 127.0.0.1:${PORT_3}
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [spanmetrics]
            metrics:
              receivers: [spanmetrics]
              exporters: [prometheus]
        """;
  }

  static String remoteWriteConfig(String remoteWriteUrl) {
    return OTLP_IN + """
        processors:
          memory_limiter:
            check_interval: 1s
            limit_mib: %d
            spike_limit_mib: %d
          batch: {}
        connectors:
          spanmetrics:
            namespace: llm_traces.span_metrics
            metrics_flush_interval: %ds
        exporters:
          prometheusremotewrite:
            endpoint: %s
        service:
          pipelines:
            traces:
              receivers: [otlp]
              processors: [memory_limiter, batch]
              exporters: [spanmetrics]
            metrics:
              receivers: [spanmetrics]
              exporters: [prometheusremotewrite]
        """.formatted(MEMORY_LIMIT_MIB, MEMORY_LIMIT_MIB / 4, RW_FLUSH.toSeconds(), remoteWriteUrl);
  }

  @Override
  public StackKind kind() {
    return kind;
  }

  @Override
  public String settings() {
    return kind == StackKind.SEED
        ? "otelcol " + "spanmetrics (flush " + SEED_FLUSH.toSeconds() + " s) → prometheus exporter ← Prometheus (scrape "
            + SEED_SCRAPE.toSeconds() + " s) → remote write → VictoriaMetrics"
        : "otelcol memory_limiter (" + MEMORY_LIMIT_MIB + " MiB) + batch → spanmetrics (flush " + RW_FLUSH.toSeconds()
            + " s) → prometheusremotewrite → VictoriaMetrics";
  }

  @Override
  public Endpoint endpoint() {
    return new Endpoint("127.0.0.1", collector.port(2), collector.port(1));
  }

  @Override
  public VictoriaMetrics store() {
    return store;
  }

  @Override
  public Map<String, Long> processes() {
    Map<String, Long> processes = new LinkedHashMap<>();
    processes.put("otelcol", collector.pid());
    if (prometheus != null) {
      processes.put("prometheus", prometheus.pid());
    }
    processes.put("victoria-metrics", store.pid());
    return processes;
  }

  @Override
  public Duration nominalDelay() {
    // A flush, then (seed) a scrape and Prometheus' remote-write batching (5 s deadline); the exporter's
    // own batching (5 s), the store's 2 s.
    return kind == StackKind.SEED ? SEED_FLUSH.plus(SEED_SCRAPE).plusSeconds(7) : RW_FLUSH.plusSeconds(7);
  }

  @Override
  public void restartGracefully() {
    collector.restart();
  }

  @Override
  public void restartAfterKill() {
    collector.kill();
    collector.restart();
  }

  @Override
  public void close() {
    collector.close();
    if (prometheus != null) {
      prometheus.close();
    }
    store.close();
  }
}
