package io.tracemetrics.bench.gateway;

import io.tracemetrics.bench.PhaseResult;
import io.tracemetrics.bench.otlp.LoadCall;
import io.tracemetrics.bench.otlp.SendOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives closed-loop senders (each sends a request, waits for its acknowledgement, sends the next) for a
 * lead-in and then a measured window. Only requests started and finished inside the window count.
 */
final class LoadPhase {
  private static final Logger LOG = LoggerFactory.getLogger(LoadPhase.class);

  private LoadPhase() {}

  /**
   * @param lead load before the window opens: the warm-up, or the time the previous phase's requests need
   *     to be out of the way
   * @param cpuSeconds CPU seconds used so far, by name (processes, the machine), read at the window's start
   *     and end; NaN when not measured
   * @param measured the name in {@code cpuSeconds} whose efficiency the phase reports
   */
  static PhaseResult run(String name, List<LoadCall> calls, RequestCorpus corpus, Duration lead,
      Duration duration, Map<String, DoubleSupplier> cpuSeconds, String measured) throws InterruptedException {
    long start = System.nanoTime();
    long windowStart = start + lead.toNanos();
    long windowEnd = windowStart + duration.toNanos();
    AtomicLong refused = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      LoadCall call = calls.get(i);
      LatencyLog log = new LatencyLog();
      latencies.add(null);
      int senderIndex = i;
      Thread thread = new Thread(() -> {
        try {
          drive(call, corpus, senderIndex, windowStart, windowEnd, log, refused, errors);
        } finally {
          synchronized (latencies) {
            latencies.set(senderIndex, log.toArray());
          }
          done.countDown();
        }
      }, name + "-sender-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    sleepUntil(windowStart);
    Map<String, Double> cpuStart = read(cpuSeconds);
    sleepUntil(windowEnd);
    Map<String, Double> cpuEnd = read(cpuSeconds);
    done.await();
    if (errors.get() > 0) {
      LOG.warn("{}: {} requests got no answer (connection failed or timed out)", name, errors.get());
    }
    long[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).toArray();
    double seconds = duration.toNanos() / 1e9;
    Map<String, Double> cores = new LinkedHashMap<>();
    cpuStart.forEach((meter, before) -> cores.put(meter, (cpuEnd.get(meter) - before) / seconds));
    return PhaseResult.ofRequests(name, all, refused.get() + errors.get(), corpus.spansPerRequest(), seconds,
        cpuEnd.get(measured) - cpuStart.get(measured), cores);
  }

  private static Map<String, Double> read(Map<String, DoubleSupplier> meters) {
    Map<String, Double> values = new LinkedHashMap<>();
    meters.forEach((meter, seconds) -> values.put(meter, seconds.getAsDouble()));
    return values;
  }

  private static void drive(LoadCall call, RequestCorpus corpus, int senderIndex, long windowStart,
      long windowEnd, LatencyLog log, AtomicLong refused, AtomicLong errors) {
    int next = senderIndex * 7;
    while (true) {
      long sent = System.nanoTime();
      if (sent - windowEnd >= 0) {
        return;
      }
      SendOutcome outcome;
      try {
        outcome = call.send(corpus.request(next++));
      } catch (Exception e) {
        outcome = SendOutcome.NO_ANSWER;
      }
      if (!outcome.answered()) {
        errors.incrementAndGet();
        continue;
      }
      boolean accepted = outcome.accepted();
      long answered = System.nanoTime();
      boolean inWindow = sent - windowStart >= 0 && answered - windowEnd <= 0;
      if (inWindow && accepted) {
        log.add(answered - sent);
      } else if (inWindow) {
        refused.incrementAndGet();
      }
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, left / 1_000_000));
    }
  }

  /** A growable array of latencies, one per sender thread (no sharing, no boxing). */
  private static final class LatencyLog {
    private long[] values = new long[4096];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
