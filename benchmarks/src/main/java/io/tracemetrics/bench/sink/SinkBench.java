package io.tracemetrics.bench.sink;

import io.tracemetrics.bench.Cpu;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import io.tracemetrics.sink.RemoteWriteSink;
import io.tracemetrics.sink.TimeSeries;
import io.tracemetrics.sink.WriteRequestBuffer;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * Drives the sink's writer as fast as one thread can into a real VictoriaMetrics on loopback for a fixed
 * time, then prints samples/s, the CPU the sink used (the writing thread, the sender thread and the HTTP
 * client's threads), the CPU VictoriaMetrics used, and, in the same run, the encoding-only ceiling
 * (building series, encoding and compressing with nothing sent), so the report says which side limits.
 *
 * <p>Usage: {@code SinkBench [seconds=10] [spanSeries=500]}; see {@code scripts/bench-sink.sh}.
 */
public final class SinkBench {
  private static final int BATCH_SAMPLES = 10_000;

  private SinkBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int spanSeries = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    Duration duration = Duration.ofSeconds(seconds);
    RedSeries shape = new RedSeries(spanSeries, System.currentTimeMillis() - Duration.ofHours(2).toMillis(), 100);

    encodeOnly(shape, Duration.ofSeconds(Math.min(3, seconds))); // JIT warm-up
    Result ceiling = encodeOnly(shape, duration);
    try (VictoriaMetrics vm = VictoriaMetrics.builder().flag("-loggerLevel=WARN").start()) {
      endToEnd(shape, vm, Duration.ofSeconds(Math.min(3, seconds))); // warm-up, also of the receiver
      Result e2e = endToEnd(shape, vm, duration);
      print(seconds, spanSeries, ceiling, e2e);
    }
  }

  /** Samples, wall seconds, sink CPU seconds, receiver CPU seconds, receiver rows, wire bytes. */
  record Result(long samples, double wallSeconds, double sinkCpuSeconds, double receiverCpuSeconds,
      long receiverRows, long compressedBytes) {
    double perSecond() {
      return samples / wallSeconds;
    }

    double perSinkCore() {
      return samples / sinkCpuSeconds;
    }
  }

  private static Result encodeOnly(RedSeries shape, Duration duration) {
    WriteRequestBuffer buffer = new WriteRequestBuffer(1 << 20);
    long[] samples = {0};
    long[] bytes = {0};
    long cpu0 = Cpu.currentThreadNanos();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    for (long w = 0; System.nanoTime() < end; w++) {
      shape.window(w, series -> {
        buffer.add(series);
        if (buffer.sampleCount() >= BATCH_SAMPLES) {
          bytes[0] += buffer.snappyCompressed().length;
          samples[0] += buffer.sampleCount();
          buffer.clear();
        }
      });
    }
    double wall = (System.nanoTime() - start) / 1e9;
    return new Result(samples[0], wall, (Cpu.currentThreadNanos() - cpu0) / 1e9, 0, 0, bytes[0]);
  }

  private static Result endToEnd(RedSeries shape, VictoriaMetrics vm, Duration duration) throws Exception {
    RemoteWriteSink sink = RemoteWriteSink.builder().endpoint(vm.remoteWriteUrl())
        .maxBatchSamples(BATCH_SAMPLES).build();
    SinkWriter<TimeSeries> writer = sink.createWriter(context());
    double vmCpu0 = vmMetric(vm, "process_cpu_seconds_total");
    double rows0 = vmMetric(vm, "vm_rows_inserted_total{type=\"promremotewrite\"}");
    long driverCpu0 = Cpu.currentThreadNanos();
    long helpers0 = helperThreadNanos();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long samples = 0;
    long window = 0;
    while (System.nanoTime() < end) {
      shape.window(window++, series -> write(writer, series));
      samples += shape.samplesPerWindow();
    }
    writer.flush(true);
    double wall = (System.nanoTime() - start) / 1e9;
    long sinkCpu = Cpu.currentThreadNanos() - driverCpu0 + helperThreadNanos() - helpers0;
    writer.close();
    vm.forceFlush();
    return new Result(samples, wall, sinkCpu / 1e9, vmMetric(vm, "process_cpu_seconds_total") - vmCpu0,
        Math.round(vmMetric(vm, "vm_rows_inserted_total{type=\"promremotewrite\"}") - rows0), 0);
  }

  /** The sink's sender threads and the JDK HTTP client's selector and worker threads. */
  private static long helperThreadNanos() {
    return Cpu.threadNanos(n -> n.startsWith("remote-write-sender-") || n.startsWith("HttpClient-"));
  }

  private static void write(SinkWriter<TimeSeries> writer, TimeSeries series) {
    try {
      writer.write(series, null);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("write failed", e);
    }
  }

  /**
   * Just what {@code createWriter} uses: metrics nobody reads, and processing time whose timers never
   * fire (full batches are sent at once and the final flush sends the rest).
   */
  private static WriterInitContext context() {
    ProcessingTimeService time = new ProcessingTimeService() {
      @Override
      public long getCurrentProcessingTime() {
        return System.currentTimeMillis();
      }

      @Override
      public java.util.concurrent.ScheduledFuture<?> registerTimer(long at, ProcessingTimeCallback cb) {
        return null;
      }
    };
    Object group = UnregisteredMetricsGroup.createSinkWriterMetricGroup();
    return (WriterInitContext) Proxy.newProxyInstance(SinkBench.class.getClassLoader(),
        new Class<?>[] {WriterInitContext.class}, (proxy, method, a) -> switch (method.getName()) {
          case "metricGroup" -> group;
          case "getProcessingTimeService" -> time;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  /** One value of VictoriaMetrics' own {@code /metrics}, 0 when absent. */
  private static double vmMetric(VictoriaMetrics vm, String series) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(vm.baseUrl() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.body().lines().filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).sum();
  }

  private static void print(int seconds, int spanSeries, Result ceiling, Result e2e) {
    System.out.printf(Locale.ROOT, "%n## Sink benchmark (%d s per phase, %d span series = %d series per window, "
        + "%d cores, load average %.2f)%n%n", seconds, spanSeries, spanSeries * RedSeries.SERIES_PER_SPAN,
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println("| phase | samples | samples/s (wall) | sink CPU s | samples/s per sink core "
        + "| receiver CPU s | receiver rows |");
    System.out.println("|---|---|---|---|---|---|---|");
    row("encoding only (build + encode + snappy)", ceiling);
    row("end to end into VictoriaMetrics", e2e);
    System.out.printf(Locale.ROOT, "%nWire: %.1f bytes per sample after snappy.%n",
        (double) ceiling.compressedBytes() / ceiling.samples());
    double sinkPerSample = e2e.sinkCpuSeconds() / e2e.samples();
    double vmPerSample = e2e.receiverCpuSeconds() / e2e.samples();
    System.out.printf(Locale.ROOT, "CPU per sample: sink %.2f us, VictoriaMetrics %.2f us -> limited by the %s.%n",
        sinkPerSample * 1e6, vmPerSample * 1e6, vmPerSample > sinkPerSample ? "receiver" : "sink");
    if (e2e.receiverRows() != e2e.samples()) {
      System.out.printf("WARNING: VictoriaMetrics counted %d rows for %d samples sent%n",
          e2e.receiverRows(), e2e.samples());
    }
  }

  private static void row(String phase, Result r) {
    System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.0f | %s | %s |%n", phase, r.samples(),
        r.perSecond(), r.sinkCpuSeconds(), r.perSinkCore(),
        r.receiverCpuSeconds() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.receiverCpuSeconds()),
        r.receiverRows() == 0 ? "-" : Long.toString(r.receiverRows()));
  }
}
