package io.tracemetrics.bench.gateway;

import io.tracemetrics.bench.PhaseResult;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The Markdown report of one {@link GatewayLoad} run: every round's two windows, all rounds together
 * (spans over all windows of a phase divided by their time or CPU time), where the machine's cores went,
 * and the verdict on the targets, taken on all rounds together.
 */
final class BenchReport {
  static final double TARGET_SPANS_PER_CORE = 300_000;
  static final double TARGET_SHARE_OF_CEILING = 0.70;

  private BenchReport() {}

  static String render(LoadOptions o, RequestCorpus corpus, List<PhaseResult> ceilings,
      List<PhaseResult> gateways) {
    if (ceilings.size() != gateways.size() || ceilings.isEmpty()) {
      throw new IllegalArgumentException("need one ceiling window per gateway window");
    }
    StringBuilder md = new StringBuilder();
    md.append("## Gateway load run, ").append(Instant.now()).append("\n\n");
    md.append(String.format(Locale.ROOT, "Machine: %d cores (Runtime.availableProcessors), %s %s, Java %s. "
            + "Broker, gateway and load generator share them. The broker: G1 and C2, %d MiB heap, data in %s, "
            + "at most %d MiB per partition.%n%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
        System.getProperty("os.arch"), System.getProperty("java.version"), GatewayLoad.BROKER_HEAP_MB,
        o.brokerParent(), GatewayLoad.BROKER_LOG_MIB_PER_PARTITION));
    md.append(String.format(Locale.ROOT, "Load: %d HTTP + %d gRPC closed-loop senders, %d spans per request "
            + "(%,.0f bytes on average, %d services, %d span names), topic with %d partitions. %d rounds, each "
            + "a %d s window straight into Kafka, then a %d s window through the gateway; the first window of "
            + "each follows a %d s warm-up, the others %d s of load before the window opens.%n%n",
        o.httpSenders(), o.grpcSenders(), o.spansPerRequest(), corpus.averageBytes(), o.services(),
        o.spanNames(), o.partitions(), o.rounds(), o.duration().toSeconds(), o.duration().toSeconds(),
        o.warmup().toSeconds(), o.settle().toSeconds()));
    md.append("| round | Kafka direct spans/s | p50 / p99 ms | through the gateway spans/s | p50 / p99 ms "
        + "| refused | share of the ceiling | gateway cores | spans/s per gateway core |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    double[] shares = new double[ceilings.size()];
    for (int i = 0; i < ceilings.size(); i++) {
      PhaseResult ceiling = ceilings.get(i);
      PhaseResult gateway = gateways.get(i);
      shares[i] = gateway.spansPerSecond() / ceiling.spansPerSecond();
      md.append(String.format(Locale.ROOT, "| %d | %,.0f | %.1f / %.1f | %,.0f | %.1f / %.1f | %,d | %.0f%% | %.2f | %,.0f |%n",
          i + 1, ceiling.spansPerSecond(), ceiling.p50Millis(), ceiling.p99Millis(), gateway.spansPerSecond(),
          gateway.p50Millis(), gateway.p99Millis(), ceiling.refused() + gateway.refused(), shares[i] * 100,
          gateway.cores(), gateway.spansPerCoreSecond()));
    }
    double share = sum(gateways, PhaseResult::spans) / sum(ceilings, PhaseResult::spans);
    double perCore = sum(gateways, PhaseResult::spans) / sum(gateways, PhaseResult::cpuSeconds);
    md.append(String.format(Locale.ROOT, "| **all rounds** | %,.0f | %.1f / %.1f | %,.0f | %.1f / %.1f | | **%.0f%%** | %.2f | **%,.0f** |%n",
        rate(ceilings), median(ceilings, PhaseResult::p50Millis), median(ceilings, PhaseResult::p99Millis),
        rate(gateways), median(gateways, PhaseResult::p50Millis), median(gateways, PhaseResult::p99Millis),
        share * 100, sum(gateways, PhaseResult::cpuSeconds) / sum(gateways, PhaseResult::seconds), perCore));
    md.append("\nAll rounds: spans of every window of a phase over their time (or the gateway's CPU time); "
        + "latencies are the rounds' medians.\n");
    md.append("\nWhere the cores went (medians over the rounds; the load generator is this JVM, which in the "
        + "Kafka direct windows also runs the producer; machine = every process, from /proc/stat):\n\n");
    md.append(String.format(Locale.ROOT, "| window | broker | load generator | gateway | machine busy (of %d) |%n",
        Runtime.getRuntime().availableProcessors()));
    md.append("|---|---:|---:|---:|---:|\n");
    cores(md, "Kafka direct", ceilings);
    cores(md, "through the gateway", gateways);
    md.append('\n');
    md.append(String.format(Locale.ROOT, "- Gateway spans/s per gateway core, all rounds: **%,.0f** "
            + "(target ≥ %,.0f): %s%n",
        perCore, TARGET_SPANS_PER_CORE, perCore >= TARGET_SPANS_PER_CORE ? "met" : "NOT met"));
    md.append(String.format(Locale.ROOT, "- Gateway throughput / no-gateway ceiling, all rounds: **%.0f%%** "
            + "(target ≥ %.0f%%): %s; the rounds' own shares: median %.0f%%, %.0f–%.0f%%%n",
        share * 100, TARGET_SHARE_OF_CEILING * 100, share >= TARGET_SHARE_OF_CEILING ? "met" : "NOT met",
        median(shares) * 100, min(shares) * 100, max(shares) * 100));
    return md.toString();
  }

  private static void cores(StringBuilder md, String label, List<PhaseResult> windows) {
    md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f |%n", label,
        median(windows, r -> r.coresOf(GatewayLoad.BROKER)), median(windows, r -> r.coresOf(GatewayLoad.LOAD)),
        median(windows, r -> r.coresOf(GatewayLoad.GATEWAY)), median(windows, r -> r.coresOf(GatewayLoad.MACHINE))));
  }

  private static double sum(List<PhaseResult> windows, ToDoubleFunction<PhaseResult> value) {
    return windows.stream().mapToDouble(value).sum();
  }

  private static double rate(List<PhaseResult> windows) {
    return sum(windows, PhaseResult::spans) / sum(windows, PhaseResult::seconds);
  }

  private static double median(List<PhaseResult> windows, ToDoubleFunction<PhaseResult> value) {
    return median(windows.stream().mapToDouble(value).toArray());
  }

  /** The middle value, or the mean of the two middle ones; NaN for no values. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }
}
