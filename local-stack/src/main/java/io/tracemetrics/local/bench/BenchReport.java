package io.tracemetrics.local.bench;

import java.time.Instant;
import java.util.Locale;

/** The Markdown report of one {@link GatewayLoad} run. */
final class BenchReport {
  static final double TARGET_SPANS_PER_CORE = 300_000;
  static final double TARGET_SHARE_OF_CEILING = 0.70;

  private BenchReport() {}

  static String render(LoadOptions o, RequestCorpus corpus, PhaseResult ceiling, PhaseResult gateway) {
    StringBuilder md = new StringBuilder();
    md.append("## Gateway load run, ").append(Instant.now()).append("\n\n");
    md.append(String.format(Locale.ROOT, "Machine: %d cores (Runtime.availableProcessors), %s %s, Java %s. "
            + "Broker, gateway and load generator share them.%n%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
        System.getProperty("os.arch"), System.getProperty("java.version")));
    md.append(String.format(Locale.ROOT, "Load: %d HTTP + %d gRPC closed-loop senders, %d spans per request "
            + "(%,.0f bytes on average, %d services, %d span names), %d s warm-up, %d s measured, topic with "
            + "%d partitions.%n%n",
        o.httpSenders(), o.grpcSenders(), o.spansPerRequest(), corpus.averageBytes(), o.services(),
        o.spanNames(), o.warmup().toSeconds(), o.duration().toSeconds(), o.partitions()));
    md.append("| phase | spans/s | requests | refused | p50 ms | p99 ms | CPU s | cores used | spans/s per core |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    row(md, "Kafka direct (no gateway, CPU = load JVM incl. producer)", ceiling);
    row(md, "through the gateway (CPU = gateway JVM)", gateway);
    double share = gateway.spansPerSecond() / ceiling.spansPerSecond();
    double perCore = gateway.spansPerCoreSecond();
    md.append('\n');
    md.append(String.format(Locale.ROOT, "- Gateway spans/s per gateway core: **%,.0f** (target ≥ %,.0f): %s%n",
        perCore, TARGET_SPANS_PER_CORE, perCore >= TARGET_SPANS_PER_CORE ? "met" : "NOT met"));
    md.append(String.format(Locale.ROOT, "- Gateway throughput / no-gateway ceiling: **%.0f%%** (target ≥ %.0f%%): %s%n",
        share * 100, TARGET_SHARE_OF_CEILING * 100, share >= TARGET_SHARE_OF_CEILING ? "met" : "NOT met"));
    return md.toString();
  }

  private static void row(StringBuilder md, String label, PhaseResult r) {
    md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,d | %,d | %.1f | %.1f | %.1f | %.2f | %,.0f |%n",
        label, r.spansPerSecond(), r.requests(), r.refused(), r.p50Millis(), r.p99Millis(), r.cpuSeconds(),
        r.cores(), r.spansPerCoreSecond()));
  }
}
