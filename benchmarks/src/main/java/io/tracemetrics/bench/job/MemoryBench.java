package io.tracemetrics.bench.job;

import io.tracemetrics.job.JobOptions;
import io.tracemetrics.job.RedMetricsJob;
import io.tracemetrics.job.otlp.SpanEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heap per active series of the job's stages after the source with their defaults (the pre-aggregator,
 * the series limit and the aggregator, on the default heap state backend): a MiniCluster in this JVM
 * counts n series, each with spans in two windows, and closes the first; the
 * heap after GC with that state, minus the heap after GC before the first span, divided by n. The class
 * histogram's growth says what the bytes are.
 */
final class MemoryBench {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryBench.class);
  private static final Duration WINDOW = Duration.ofSeconds(10);
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  /** Bytes per series, and the classes that grew most, bytes per series each. */
  record Result(int series, int seriesPerKey, double bytesPerSeries, double seconds, List<HeapHistogram.Entry> top) {}

  private MemoryBench() {}

  /** @param seriesPerKey series per (service, span name) key: they share the key's state objects */
  static Result run(int series, int seriesPerKey) throws Exception {
    SeriesGenerator.reset();
    CountingSink.COUNT.set(0);
    SeriesGenerator generator = new SeriesGenerator(series, seriesPerKey, WINDOW.toMillis());
    StreamExecutionEnvironment env = ThroughputBench.environment();
    DataStream<SpanEvent> spans = env.fromSequence(0, generator.last())
        .flatMap(generator)
        .assignTimestampsAndWatermarks(WatermarkStrategy.<SpanEvent>forGenerator(context -> new MarkerWatermarks())
            .withTimestampAssigner((span, previous) -> span.endTimeMillis()))
        .uid("generated-spans");
    JobOptions options = JobOptions.fromArgs(new String[] {"--window.size", WINDOW.toMillis() + " ms"}, Map.of());
    RedMetricsJob.series(options, List.of(spans))
        // A series writes a 0 before its first value: only the values say that its first window was written.
        .filter(samples -> samples.metricName().equals(ThroughputBench.CALLS) && samples.sampleValue(0) > 0)
        .sinkTo(new CountingSink<>());
    JobClient job = env.executeAsync("memory per series: " + series);
    try {
      await(SeriesGenerator.reached[0], "the job to start");
      long before = usedAfterGc();
      HeapHistogram histogramBefore = HeapHistogram.take();
      long start = System.nanoTime();
      SeriesGenerator.released[0].countDown();
      await(SeriesGenerator.reached[1], "every span to be generated");
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (CountingSink.COUNT.get() < series) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("window 1 emitted " + CountingSink.COUNT.get() + " series, not " + series);
        }
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long after = usedAfterGc();
      List<HeapHistogram.Entry> top = HeapHistogram.take().growthSince(histogramBefore, 8);
      double perSeries = (after - before) / (double) series;
      LOG.info("{} series: {} bytes of heap each ({} MB in all) after {} s", series, Math.round(perSeries),
          (after - before) >> 20, String.format("%.1f", seconds));
      return new Result(series, seriesPerKey, perSeries, seconds, top);
    } finally {
      SeriesGenerator.released[0].countDown();
      job.cancel().get(1, TimeUnit.MINUTES);
      SeriesGenerator.released[1].countDown();
    }
  }

  /** The lowest used heap of three readings, each after a full GC. */
  private static long usedAfterGc() throws InterruptedException {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
      min = Math.min(min, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return min;
  }

  private static void await(java.util.concurrent.CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(5, TimeUnit.MINUTES)) {
      throw new AssertionError("timed out waiting for " + what);
    }
  }
}
