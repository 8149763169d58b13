package io.tracemetrics.bench.job;

import io.tracemetrics.testsupport.kafka.KafkaBroker;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark of the Flink job at parallelism 1 on a MiniCluster in this JVM, against a real KRaft broker
 * and VictoriaMetrics (child processes, so their CPU is not counted). Modes ({@code --modes}):
 *
 * <ul>
 *   <li>{@code throughput}: a pre-filled topic read by the job's source and deserializer with the spans
 *       discarded (the ceiling), then by the whole job into VictoriaMetrics, whose totals must then equal
 *       the spans generated, series by series;
 *   <li>{@code memory}: heap per active series of the aggregator at each of {@code --memory-series};
 *   <li>{@code freshness}: live spans at a modest rate; time from each window's end until its samples
 *       are queryable.
 * </ul>
 *
 * Prints a Markdown report and writes it to {@code --report}; {@code --help} lists the options.
 */
public final class JobBench {
  private static final Logger LOG = LoggerFactory.getLogger(JobBench.class);

  private JobBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println(JobBenchOptions.usage());
      return;
    }
    JobBenchOptions options = JobBenchOptions.parse(args);
    JobBenchReport report = new JobBenchReport(options);
    if (options.modes().contains("throughput")) {
      try (KafkaBroker broker = KafkaBroker.builder().maxHeapMb(1024).start();
          VictoriaMetrics store = VictoriaMetrics.builder().flag("-loggerLevel=WARN").start()) {
        broker.createTopic(ThroughputBench.TOPIC, options.partitions());
        report.throughput(new ThroughputBench(options, broker.bootstrapServers(), store).run());
      }
    }
    if (options.modes().contains("memory")) {
      List<MemoryBench.Result> results = new ArrayList<>();
      for (int series : options.memorySeries()) {
        results.add(MemoryBench.run(series, options.memorySeriesPerKey()));
      }
      report.memory(results);
    }
    if (options.modes().contains("freshness")) {
      try (KafkaBroker broker = KafkaBroker.start();
          VictoriaMetrics store = VictoriaMetrics.builder().flag("-loggerLevel=WARN").start()) {
        broker.createTopic(FreshnessBench.TOPIC, options.partitions());
        report.freshness(new FreshnessBench(options, broker.bootstrapServers(), store).run(), options);
      }
    }
    String text = report.render();
    System.out.println(text);
    Path file = Path.of(options.reportFile());
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, text);
    LOG.info("report written to {}", file.toAbsolutePath());
    System.exit(0); // the MiniClusters' and clients' non-daemon threads must not keep the JVM alive
  }
}
