package io.tracemetrics.bench.job;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tracemetrics.bench.ServerSpans;
import io.tracemetrics.job.otlp.SpanEvent;
import io.tracemetrics.job.otlp.TracesDecoder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding alone, per span, on one thread: the job's decoder (protobuf read off the wire) against
 * {@code TracesData.parseFrom}, which the generated-class path must do before it can look at a span (so
 * it is a lower bound of that path's cost). Records like the job benchmark's: 200 HTTP spans with ids and
 * five attributes under a resource with four. Run with {@code scripts/bench-job.sh decode}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(TracesDecodeBenchmark.SPANS)
public class TracesDecodeBenchmark {
  static final int SPANS = 200;

  private final TracesDecoder decoder = TracesDecoder.plain();
  private byte[] record;

  @Setup
  public void encode() {
    record = TracesData.newBuilder()
        .addResourceSpans(ServerSpans.batch(new SplittableRandom(1), 1, SPANS, 20, 0))
        .build().toByteArray();
  }

  /** Spans per second through the job's decoder. */
  @Benchmark
  public void jobDecoder(Blackhole out) {
    decoder.decode(record, null, new TracesDecoder.Sink() {
      @Override
      public void accept(SpanEvent span) {
        out.consume(span);
      }

      @Override
      public void rejected(TracesDecoder.Rejection reason, int count) {
        throw new AssertionError(reason);
      }
    });
  }

  /** Spans per second of parsing alone into the generated classes. */
  @Benchmark
  public Object generatedClassesParseOnly() throws Exception {
    return TracesData.parseFrom(record);
  }
}
