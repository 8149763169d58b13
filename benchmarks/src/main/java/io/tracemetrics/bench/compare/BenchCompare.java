package io.tracemetrics.bench.compare;

import io.tracemetrics.bench.compare.Results.Disturbed;
import io.tracemetrics.bench.compare.Results.Freshness;
import io.tracemetrics.bench.compare.Results.Level;
import io.tracemetrics.bench.compare.Results.Sustained;
import io.tracemetrics.bench.compare.load.RequestSet;
import io.tracemetrics.bench.compare.load.TrafficMix;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's stack and this pipeline side by side on this machine, in one run ({@code scripts/bench-compare.sh}):
 * each stack started alone, fed by the same open-loop load generator with the same pre-encoded requests,
 * measured at each series level (the first level gets every measure, the others the sustained rate, its
 * cost and exactness), then stopped. The Kafka ceiling is measured first when a pipeline stack runs. Prints
 * a Markdown report and writes it, with a JSON twin, to {@code --report}; {@code --help} lists the options.
 */
public final class BenchCompare {
  private static final Logger LOG = LoggerFactory.getLogger(BenchCompare.class);
  private static final long SEED = 20261203L;

  private BenchCompare() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println(CompareOptions.usage());
      return;
    }
    CompareOptions options = CompareOptions.parse(args);
    CompareReport report = new CompareReport(options, "scripts/bench-compare.sh " + String.join(" ", args));
    boolean first = true;
    for (long series : options.seriesLevels()) {
      TrafficMix mix = TrafficMix.forSeries(series, options.spansPerRequest(), SEED);
      // Several requests per sender: a request's bytes are stamped and sent under its lock.
      RequestSet requests = RequestSet.build(mix, 4 * (options.httpSenders() + options.grpcSenders()));
      LOG.info("{} series: {} requests of {} spans, {} MiB encoded", mix.series(), requests.size(),
          options.spansPerRequest(), requests.totalBytes() >> 20);
      if (first && options.stacks().stream().anyMatch(StackKind::isPipeline)) {
        report.ceiling(KafkaCeiling.run(requests, options.ceilingDuration()));
      }
      for (StackKind kind : options.stacks()) {
        report.add(measure(kind, requests, mix.series(), options, first));
        LOG.info("report so far:\n{}", report.write());
      }
      first = false;
    }
    System.out.println(report.write());
    LOG.info("report written to {}", options.reportFile());
    System.exit(0);
  }

  /** Starts the stack, runs its measures, stops it; a measure that fails ends the level with its message. */
  private static Level measure(StackKind kind, RequestSet requests, long series, CompareOptions options,
      boolean everyMeasure) {
    Stack stack;
    try {
      stack = kind.isPipeline() ? PipelineStack.start(kind) : CollectorStack.start(kind);
    } catch (Exception e) {
      LOG.error("{} did not start", kind.title(), e);
      return new Level(kind, "", series, 0, null, null, null, null, "did not start: " + e);
    }
    long baseline = stackRss(stack);
    Sustained sustained = null;
    Freshness freshness = null;
    Disturbed overload = null;
    Disturbed restart = null;
    String failure = null;
    try (StackRun run = new StackRun(stack, options, requests)) {
      run.warmUp();
      sustained = run.sustained();
      if (everyMeasure && sustained != null && options.everyMeasure()) {
        freshness = run.freshness(sustained.rate() / 2);
        overload = run.overload(sustained.rate() * 2);
        restart = run.restarts(sustained.rate() / 2);
      }
      if (!run.beforeDeadline()) {
        failure = "stopped at --level-timeout-seconds=" + options.levelTimeout().toSeconds();
      }
    } catch (Exception | AssertionError e) {
      LOG.error("{} at {} series failed", kind.title(), series, e);
      failure = e.toString();
    } finally {
      stack.close();
    }
    return new Level(kind, stack.settings(), series, baseline, sustained, freshness, overload, restart, failure);
  }

  private static long stackRss(Stack stack) {
    long total = 0;
    for (Map.Entry<String, Long> process : stack.processes().entrySet()) {
      total += Math.max(0, ProcessMeter.memory(process.getValue(), "VmRSS:"));
    }
    return total;
  }
}
