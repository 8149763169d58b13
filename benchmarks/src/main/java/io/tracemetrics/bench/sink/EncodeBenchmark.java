package io.tracemetrics.bench.sink;

import io.tracemetrics.sink.TimeSeries;
import io.tracemetrics.sink.WriteRequestBuffer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sink's encoding-only ceiling on one core: building {@link TimeSeries} of a realistic RED shape,
 * encoding them into a WriteRequest and compressing it with snappy, in batches of
 * {@value #BATCH_SAMPLES} samples (the default {@code maxBatchSamples}). Scores are per sample, so
 * {@code ops/s} is samples per second on one thread; the wire size per sample (protobuf, and after
 * snappy) is printed at the end of each fork. Run: see the module README.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class EncodeBenchmark {
  static final int BATCH_SAMPLES = 10_000;
  private static final long BASE_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final long WINDOW_MILLIS = 10_000;

  private final RedSeries shape =
      new RedSeries(BATCH_SAMPLES / RedSeries.SERIES_PER_SPAN, BASE_MILLIS, WINDOW_MILLIS);
  private final WriteRequestBuffer buffer = new WriteRequestBuffer(1 << 20);
  private long window;
  private int lastCompressedBytes;

  /** Build, encode and compress one batch: what the writer's task thread does per request. */
  @Benchmark
  @OperationsPerInvocation(BATCH_SAMPLES)
  public byte[] buildEncodeCompress() {
    buffer.clear();
    shape.window(window++, buffer::add);
    byte[] compressed = buffer.snappyCompressed();
    lastCompressedBytes = compressed.length;
    return compressed;
  }

  /** Printed in the fork's output, next to the scores. */
  @TearDown(Level.Trial)
  public void printWireSize() {
    if (lastCompressedBytes > 0) {
      System.out.printf(Locale.ROOT, "%nWire size of a %d-sample RED batch: %.1f bytes/sample protobuf, "
          + "%.1f bytes/sample after snappy%n", buffer.sampleCount(),
          (double) buffer.sizeBytes() / buffer.sampleCount(),
          (double) lastCompressedBytes / buffer.sampleCount());
    }
  }

  /** Encode and compress prebuilt series: the wire part alone. */
  @Benchmark
  @OperationsPerInvocation(BATCH_SAMPLES)
  public byte[] encodeCompressPrebuilt(Prebuilt prebuilt) {
    buffer.clear();
    for (TimeSeries series : prebuilt.series) {
      buffer.add(series);
    }
    return buffer.snappyCompressed();
  }

  /** One window of series, built once. */
  @State(Scope.Thread)
  public static class Prebuilt {
    final java.util.List<TimeSeries> series = new java.util.ArrayList<>();

    @Setup
    public void build() {
      new RedSeries(BATCH_SAMPLES / RedSeries.SERIES_PER_SPAN, BASE_MILLIS, WINDOW_MILLIS).window(0, series::add);
    }
  }
}
