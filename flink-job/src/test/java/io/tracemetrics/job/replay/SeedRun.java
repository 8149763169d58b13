package io.tracemetrics.job.replay;

import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.kafka.KafkaBroker;
import io.tracemetrics.testsupport.store.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One seed end to end: its corpus written tick by tick to a fresh topic while the job runs under its fault
 * schedule, then every check on what the three stores hold.
 */
final class SeedRun {
  private static final Logger LOG = LoggerFactory.getLogger(SeedRun.class);
  /** After the last tick, how long the stores may take to show the oracle's totals. */
  private static final Duration SETTLE = Duration.ofSeconds(25);

  record Result(long seed, FaultSchedule schedule, List<Violation> violations, long samplesChecked, long millis,
      Oracle oracle) {}

  private final KafkaBroker broker;
  private final ReplayStores stores;
  private final ReplayCluster cluster;

  SeedRun(KafkaBroker broker, ReplayStores stores, ReplayCluster cluster) {
    this.broker = broker;
    this.stores = stores;
    this.cluster = cluster;
  }

  Result run(long seed) throws Exception {
    long started = System.currentTimeMillis();
    Corpus corpus = Corpus.generate(seed);
    FaultSchedule schedule = FaultSchedule.generate(seed);
    String topic = "replay_" + corpus.prefix().replace("-", "");
    broker.createTopic(topic, Scenario.PARTITIONS);
    String[] args = Scenario.jobArgs(broker.bootstrapServers(), topic, stores.remoteWriteUrls());
    LOG.info("seed {}: schedule {}, topic {}, idle partition {}", seed, schedule, topic, corpus.idlePartition());
    Path savepoints = Files.createTempDirectory("replay-savepoints");
    List<SentSpan> sent;
    long runStart;
    List<Violation> faultsNotDone = new ArrayList<>();
    try (SpanWriter writer = new SpanWriter(broker.bootstrapServers(), topic)) {
      writer.send(corpus.ticks().get(0));
      runStart = System.currentTimeMillis();
      int parallelism = 1;
      JobClient job = cluster.start(args, parallelism, null);
      try {
        for (int tick = 1; tick <= Scenario.TICKS; tick++) {
          for (Fault fault : schedule.at(tick)) {
            LOG.info("seed {}: {}", seed, fault);
            switch (fault.kind()) {
              case TASK_FAILURE -> {
                if (!cluster.failTask()) {
                  faultsNotDone.add(new Violation("L", "flink", Map.of(), fault + ": the sink wrote nothing within "
                      + ReplayCluster.SAVEPOINT_PATIENCE, List.of()));
                }
              }
              case TASK_MANAGER_LOST -> cluster.loseTaskManager();
              case SAVEPOINT_RESTART -> {
                String savepoint = cluster.stopWithSavepoint(job, savepoints);
                if (savepoint == null) {
                  // The job keeps running without it; the rest of the schedule still applies.
                  faultsNotDone.add(new Violation("L", "flink", Map.of(), fault + ": no savepoint within "
                      + ReplayCluster.SAVEPOINT_PATIENCE + " (the job could not take a checkpoint)", List.of()));
                  continue;
                }
                // Spans keep arriving while the job is down; the restored job reads them from its offsets.
                for (int down = 0; down < 2 && tick < Scenario.TICKS; down++) {
                  sendPaced(writer, corpus.ticks().get(tick++));
                }
                parallelism = 3 - parallelism;
                job = cluster.start(args, parallelism, savepoint);
              }
            }
          }
          sendPaced(writer, corpus.ticks().get(tick));
        }
        sent = writer.sent();
        Oracle oracle = Oracle.of(sent, runStart);
        awaitTotals(corpus.prefix(), oracle, sent);
      } finally {
        ReplayCluster.cancel(job);
      }
    }
    long runEnd = System.currentTimeMillis();
    stores.flush();
    Oracle oracle = Oracle.of(sent, runStart);
    String selector = StoredSeries.selector(corpus.prefix());
    long from = runStart - Scenario.BACKFILL_HORIZON_MS;
    StoredSeries deduplicated = new StoredSeries("victoriametrics",
        StoreReader.victoriaMetrics(stores.deduplicatedUrl(), selector, from));
    StoredSeries raw = new StoredSeries("victoriametrics-raw", StoreReader.victoriaMetrics(stores.rawUrl(), selector, from));
    StoredSeries prometheus = new StoredSeries("prometheus", StoreReader.prometheus(stores.prometheusUrl(), selector, from));
    Map<Map<String, String>, Long> tooOld = StoreReader.countBefore(stores.rawUrl(), corpus.prefix(), from);
    Checks checks = new Checks(oracle, runStart, runEnd);
    for (StoredSeries stored : List.of(deduplicated, prometheus)) {
      checks.totals(stored);
      checks.latencySums(stored);
      checks.neverDecrease(stored);
    }
    checks.oneValuePerTimestamp(raw);
    checks.boundedCatchUp(raw, tooOld);
    checks.increaseSeesEveryIncrement(deduplicated, stores.deduplicated());
    checks.increaseSeesEveryIncrement(prometheus, stores.prometheus());
    checks.violations().addAll(0, faultsNotDone);
    long samples = deduplicated.sampleCount() + raw.sampleCount() + prometheus.sampleCount()
        + tooOld.values().stream().mapToLong(Long::longValue).sum();
    return new Result(seed, schedule, checks.violations(), samples, System.currentTimeMillis() - started, oracle);
  }

  private static void sendPaced(SpanWriter writer, List<RecordPlan> tick) throws Exception {
    long due = System.currentTimeMillis() + Scenario.TICK_MS;
    writer.send(tick);
    // Pacing, not synchronisation: event time must advance with the wall clock as live traffic does.
    long rest = due - System.currentTimeMillis();
    if (rest > 0) {
      Thread.sleep(rest);
    }
  }

  /**
   * Waits until both queryable stores show the oracle's total per service, but no longer than the spans
   * furthest ahead need to be emitted plus {@link #SETTLE}: a job that never gets there is checked as it is.
   */
  private void awaitTotals(String prefix, Oracle oracle, List<SentSpan> sent) {
    long furthest = sent.stream().filter(Oracle::accepted).mapToLong(s -> s.endNanos() / 1_000_000).max().orElse(0);
    long wait = Math.max(0, furthest - System.currentTimeMillis()) + SETTLE.toMillis();
    Map<String, Long> expected = new java.util.TreeMap<>();
    oracle.series().values().forEach(e -> expected.merge(e.labels().get("service_name"), e.finalCount(),
        (a, b) -> a < 0 || b < 0 ? -1 : a + b));
    String promql = "sum by (service_name) (" + Oracle.CALLS + "{service_name=~\"" + prefix + ".*\"})";
    boolean settled = Await.tryUntil(() -> matches(stores.deduplicated().instant(promql), expected)
        && matches(stores.prometheus().instant(promql), expected), Duration.ofMillis(wait));
    LOG.info("stores {} the oracle's totals", settled ? "reached" : "did not reach");
    // Then until every series has ended (its staleness markers written, so its last window too): a service
    // whose totals are unknown (a series may have expired) is not waited for above.
    // Not before the window of the span furthest ahead has closed and a checkpoint has passed it.
    long lastWindowWritten = furthest + Scenario.WINDOW_MS + Scenario.OUT_OF_ORDERNESS_MS + 2 * Scenario.CHECKPOINT_MS;
    String live = "count(" + Oracle.CALLS + "{service_name=~\"" + prefix + ".*\"})";
    boolean ended = Await.tryUntil(() -> System.currentTimeMillis() > lastWindowWritten
        && stores.deduplicated().instant(live).isEmpty(), Duration.ofMillis(wait));
    LOG.info("every series {}", ended ? "ended" : "did not end");
  }

  private static boolean matches(List<Sample> sums, Map<String, Long> expected) {
    for (Map.Entry<String, Long> service : expected.entrySet()) {
      if (service.getValue() < 0) {
        continue;
      }
      boolean found = sums.stream().anyMatch(s -> service.getKey().equals(s.label("service_name"))
          && s.value() == service.getValue());
      if (!found) {
        return false;
      }
    }
    return true;
  }

}
