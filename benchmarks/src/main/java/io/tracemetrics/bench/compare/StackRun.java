package io.tracemetrics.bench.compare;

import io.tracemetrics.bench.compare.ProcessMeter.Usage;
import io.tracemetrics.bench.compare.Results.Disturbed;
import io.tracemetrics.bench.compare.Results.Freshness;
import io.tracemetrics.bench.compare.Results.Step;
import io.tracemetrics.bench.compare.Results.Sustained;
import io.tracemetrics.bench.compare.StoreCheck.Reading;
import io.tracemetrics.bench.compare.load.LoadSettings;
import io.tracemetrics.bench.compare.load.OpenLoopLoad;
import io.tracemetrics.bench.compare.load.Probe;
import io.tracemetrics.bench.compare.load.RequestSet;
import io.tracemetrics.bench.compare.load.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The measures of one running stack, in the order that keeps each one's reading clean: warm-up (every
 * series live), the sustained rate (ramp, then hold), freshness at half of it, overload at twice it, and
 * the restarts last (a stack that loses counts in a restart would spoil every later total). Load comes from
 * one {@link OpenLoopLoad}, whose per-series oracle the store is checked against after each phase; a probe
 * span every second runs throughout (freshness, and live event time for a job whose load pauses).
 */
final class StackRun implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StackRun.class);
  /** The share of offered spans a step must have accepted (with nothing refused) to count as kept up. */
  private static final double KEPT_UP = 0.99;
  /** How much longer than its configuration's own delay a stack may take to settle and still be sustaining. */
  private static final Duration SETTLE_SLACK = Duration.ofSeconds(15);
  private static final Duration PROBE_EVERY = Duration.ofSeconds(1);

  private final Stack stack;
  private final CompareOptions options;
  private final RequestSet requests;
  private final OpenLoopLoad load;
  private final Probe probe;
  private final StoreCheck check;
  private final Instant deadline;

  StackRun(Stack stack, CompareOptions options, RequestSet requests) {
    this.stack = stack;
    this.options = options;
    this.requests = requests;
    this.load = new OpenLoopLoad(requests, stack.endpoint(),
        new LoadSettings(options.httpSenders(), options.grpcSenders(), options.httpShare(), Duration.ofSeconds(2)));
    this.probe = new Probe(stack.endpoint(), PROBE_EVERY);
    this.check = new StoreCheck(stack.store().query(), Instant.now());
    this.deadline = Instant.now().plus(options.levelTimeout());
    probe.start();
  }

  /** Sends every request once, at the start rate, and waits until the store has every series. */
  void warmUp() throws InterruptedException {
    double seconds = Math.max(5, (double) requests.size() * requests.spans(0) / options.startRate());
    StepOutcome outcome = load.run(options.startRate(), Duration.ofMillis((long) (seconds * 1000)));
    LOG.info("{}: warm-up {}", stack.kind().flag(), outcome);
    double settled = settle(stack.nominalDelay().plus(options.levelTimeout().dividedBy(4)));
    LOG.info("{}: after warm-up {} (settled in {} s)", stack.kind().flag(), read().summary(), settled);
  }

  /**
   * The ramp from the start rate by the rate factor until a step is not kept up, then a hold at the last
   * rate kept up, metered, and the store's exactness once settled; a hold that loses, or that settles later
   * than the stack's own delay allows, steps down (twice at most).
   */
  Sustained sustained() throws InterruptedException {
    List<Step> ramp = new ArrayList<>();
    double rate = options.startRate();
    double good = 0;
    while (rate <= options.maxRate() && beforeDeadline()) {
      StepOutcome outcome = load.run(rate, options.stepDuration());
      boolean keptUp = keptUp(outcome);
      ramp.add(new Step(outcome, keptUp));
      LOG.info("{}: ramp {} spans/s: {} ({})", stack.kind().flag(), (long) rate, keptUp ? "kept up" : "NOT kept up",
          outcome);
      if (!keptUp) {
        break;
      }
      good = rate;
      rate *= options.rateFactor();
    }
    if (good == 0) {
      good = options.startRate() / options.rateFactor();
    }
    Sustained result = null;
    for (int attempt = 0; attempt < 3 && beforeDeadline(); attempt++, good /= options.rateFactor()) {
      // A stack that took the last steps into a buffer (the pipeline's Kafka) works it off first: each hold
      // starts from a stack that has caught up.
      settle(stack.nominalDelay().plus(options.levelTimeout().dividedBy(4)));
      Reading before = read();
      ProcessMeter meter = ProcessMeter.start(stack);
      StepOutcome hold = load.run(good, options.holdDuration());
      double wall = meter.wallSeconds();
      Map<String, Usage> usage = meter.stop();
      double settled = settle(stack.nominalDelay().plus(Duration.ofSeconds(60)));
      Reading after = read();
      boolean zeroLoss = keptUp(hold) && settled >= 0
          && settled <= stack.nominalDelay().plus(SETTLE_SLACK).toSeconds()
          && after.stored() - before.stored() == after.expected() - before.expected() && after.exact();
      result = new Sustained(good, zeroLoss, ramp, hold, usage, wall, after, settled);
      LOG.info("{}: hold {} spans/s: zero loss {}, settled in {} s, {}; {} spans/s per stack core",
          stack.kind().flag(), (long) good, zeroLoss, settled, after.summary(), (long) result.spansPerCore());
      if (zeroLoss) {
        break;
      }
    }
    return result;
  }

  /** Probe spans' end → their count queryable, while the load runs at {@code rate}. */
  Freshness freshness(double rate) throws Exception {
    int probesBefore = probe.acceptedEndMillis().size();
    try (ProbeWatcher watcher = ProbeWatcher.start(stack.store().query())) {
      StepOutcome outcome = load.run(rate, options.freshnessDuration());
      LOG.info("{}: freshness load {}", stack.kind().flag(), outcome);
      List<Long> ends = probe.acceptedEndMillis();
      int probesAfter = ends.size();
      settle(stack.nominalDelay().plus(Duration.ofSeconds(30)));
      watcher.awaitCount(probesAfter, stack.nominalDelay().plus(Duration.ofSeconds(30)));
      List<Long> latencies = new ArrayList<>();
      int neverSeen = 0;
      for (int i = probesBefore; i < probesAfter; i++) {
        long seenAt = watcher.firstSeen(i + 1);
        if (seenAt < 0) {
          neverSeen++;
        } else {
          latencies.add(seenAt - ends.get(i));
        }
      }
      Freshness freshness = new Freshness(rate, latencies, neverSeen);
      LOG.info("{}: freshness p50 {} ms, p99 {} ms over {} probes ({} never seen)", stack.kind().flag(),
          freshness.percentile(0.5), freshness.percentile(0.99), latencies.size(), neverSeen);
      return freshness;
    }
  }

  /** {@code rate} for the overload duration: what the stack refuses, loses and holds in memory at the end. */
  Disturbed overload(double rate) throws InterruptedException {
    Reading before = read();
    ProcessMeter meter = ProcessMeter.start(stack);
    StepOutcome outcome = load.run(rate, options.overloadDuration());
    Map<String, Usage> usage = meter.stop();
    double settled = settle(stack.nominalDelay().plus(Duration.ofSeconds(120)));
    Disturbed result = new Disturbed(rate, outcome, before, read(), usage, settled, "");
    LOG.info("{}: overload {} spans/s: {}; lost {}, {}", stack.kind().flag(), (long) rate, outcome, result.lost(),
        result.after().summary());
    return result;
  }

  /**
   * {@code rate} for the restart duration with a graceful restart at a third of it and a crash (SIGKILL) and
   * restart at two thirds; the store read once settled.
   */
  Disturbed restarts(double rate) throws Exception {
    Reading before = read();
    ScheduledExecutorService faults = Executors.newSingleThreadScheduledExecutor();
    long third = options.restartDuration().toMillis() / 3;
    List<String> notes = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    faults.schedule(() -> {
      try {
        long t0 = System.nanoTime();
        stack.restartGracefully();
        notes.add("graceful restart took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        Thread.sleep(Math.max(0, third - (System.nanoTime() - t0) / 1_000_000));
        long t1 = System.nanoTime();
        stack.restartAfterKill();
        notes.add("kill and restart took " + (System.nanoTime() - t1) / 1_000_000 + " ms");
        done.complete(null);
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    }, third, TimeUnit.MILLISECONDS);
    StepOutcome outcome;
    try {
      outcome = load.run(rate, options.restartDuration());
      done.get(5, TimeUnit.MINUTES);
    } finally {
      faults.shutdownNow();
    }
    ProcessMeter meter = ProcessMeter.start(stack);
    double settled = settle(stack.nominalDelay().plus(Duration.ofSeconds(120)));
    Disturbed result = new Disturbed(rate, outcome, before, read(), meter.stop(), settled, String.join("; ", notes));
    LOG.info("{}: restarts at {} spans/s: {}; lost {}, {}; {}", stack.kind().flag(), (long) rate, outcome,
        result.lost(), result.after().summary(), result.notes());
    return result;
  }

  boolean beforeDeadline() {
    return Instant.now().isBefore(deadline);
  }

  /** Seconds until the store holds every accepted span, polled every second; -1 when {@code timeout} passed. */
  private double settle(Duration timeout) {
    long start = System.nanoTime();
    long end = start + timeout.toNanos();
    while (System.nanoTime() < end) {
      try {
        if (check.stored() >= load.acceptedSpans()) {
          return (System.nanoTime() - start) / 1e9;
        }
      } catch (RuntimeException e) {
        LOG.debug("store not answering yet", e);
      }
      sleep(1000);
    }
    return -1;
  }

  private Reading read() {
    return check.read(requests, load.acceptedPerSeries(), load.unknownSpans());
  }

  private static boolean keptUp(StepOutcome outcome) {
    return outcome.refusedSpans() == 0 && outcome.unknownSpans() == 0
        && outcome.acceptedSpans() >= KEPT_UP * outcome.offeredSpans();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    probe.close();
    load.close();
  }
}
