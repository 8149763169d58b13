package io.tracemetrics.job.replay;

import io.tracemetrics.testsupport.kafka.KafkaBroker;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The randomized fault-and-oracle check: per seed a corpus and a fault schedule run on a real KRaft broker,
 * a MiniCluster, two VictoriaMetrics and a Prometheus, then checked against the oracle. Prints each seed's
 * violations with what reproduces them, and {@code N schedules, M samples checked, V violations}.
 *
 * <pre>
 *   scripts/replay-check.sh --seeds 5          # five random seeds
 *   scripts/replay-check.sh --seed 42          # one seed again
 * </pre>
 *
 * Exit status 1 when any seed found a violation.
 */
public final class ReplayCheck implements AutoCloseable {
  private static final int PRINTED_PER_GUARANTEE = 4;

  private final KafkaBroker broker;
  private final ReplayStores stores;
  private final ReplayCluster cluster;
  private final PrintStream out;
  private final List<SeedRun.Result> results = new ArrayList<>();

  ReplayCheck(PrintStream out) throws Exception {
    this.out = out;
    this.broker = KafkaBroker.start();
    this.stores = new ReplayStores();
    this.cluster = new ReplayCluster();
  }

  SeedRun.Result run(long seed) throws Exception {
    out.println("seed " + seed + ": schedule " + FaultSchedule.generate(seed));
    SeedRun.Result result = new SeedRun(broker, stores, cluster).run(seed);
    results.add(result);
    report(result);
    return result;
  }

  private void report(SeedRun.Result result) {
    Map<String, Integer> byGuarantee = new TreeMap<>();
    result.violations().forEach(v -> byGuarantee.merge("G" + v.guarantee(), 1, Integer::sum));
    out.printf("seed %d: %d spans accepted, %d rejected, %d series, %d samples checked, %d violations %s, %.1f s%n",
        result.seed(), result.oracle().accepted(), result.oracle().rejected(), result.oracle().series().size(),
        result.samplesChecked(), result.violations().size(), byGuarantee, result.millis() / 1000.0);
    if (!result.violations().isEmpty()) {
      out.println("  reproduce: scripts/replay-check.sh --seed " + result.seed() + "   (schedule "
          + result.schedule() + ")");
      // A few of each guarantee, so one guarantee's many series do not hide the others.
      Map<String, Integer> printed = new TreeMap<>();
      for (Violation v : result.violations()) {
        if (printed.merge(v.guarantee(), 1, Integer::sum) <= PRINTED_PER_GUARANTEE) {
          out.println("  " + v);
        }
      }
      printed.forEach((g, n) -> {
        if (n > PRINTED_PER_GUARANTEE) {
          out.println("  ... G" + g + ": " + (n - PRINTED_PER_GUARANTEE) + " more");
        }
      });
    }
  }

  /** The summary line: {@code N schedules, M samples checked, V violations}. */
  String summary() {
    long samples = results.stream().mapToLong(SeedRun.Result::samplesChecked).sum();
    long violations = results.stream().mapToLong(r -> r.violations().size()).sum();
    return results.size() + " schedules, " + samples + " samples checked, " + violations + " violations";
  }

  long violations() {
    return results.stream().mapToLong(r -> r.violations().size()).sum();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
    stores.close();
    broker.close();
  }

  public static void main(String[] args) throws Exception {
    List<Long> seeds = seeds(args);
    long violations;
    try (ReplayCheck check = new ReplayCheck(System.out)) {
      for (long seed : seeds) {
        check.run(seed);
      }
      System.out.println(check.summary());
      violations = check.violations();
    }
    System.exit(violations == 0 ? 0 : 1);
  }

  private static List<Long> seeds(String[] args) {
    List<Long> seeds = new ArrayList<>();
    int count = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seed" -> seeds.add(Long.parseLong(args[++i]));
        case "--seeds" -> count = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("usage: --seeds N | --seed S (unknown: " + args[i] + ")");
      }
    }
    if (seeds.isEmpty()) {
      Random random = new Random();
      for (int i = 0; i < count; i++) {
        seeds.add(random.nextLong() & Long.MAX_VALUE);
      }
    }
    return seeds;
  }
}
