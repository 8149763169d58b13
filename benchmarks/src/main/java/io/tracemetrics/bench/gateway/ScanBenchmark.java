package io.tracemetrics.bench.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracemetrics.bench.ServerSpans;
import io.tracemetrics.gateway.ingest.ScannedTraces;
import io.tracemetrics.gateway.ingest.TracesScanner;
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

/**
 * The validation of a protobuf body, per span, on one thread: the gateway's scan (every field checked in
 * place, nothing built) against {@code ExportTraceServiceRequest.parseFrom}, protobuf-java's generated parser,
 * which checks no less (UTF-8 of strings included) and builds the messages. The request is the load
 * harness's: 500 HTTP server spans with ids and six attributes, one resource with four, about 168 KB. Run
 * with {@code scripts/bench-gateway.sh scan}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(ScanBenchmark.SPANS)
public class ScanBenchmark {
  static final int SPANS = 500;

  private byte[] body;

  @Setup
  public void encode() {
    body = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ServerSpans.batch(new SplittableRandom(42), 7, SPANS, 50, 0))
        .build()
        .toByteArray();
  }

  @Benchmark
  public ScannedTraces scan() throws InvalidProtocolBufferException {
    return TracesScanner.scan(body);
  }

  @Benchmark
  public ExportTraceServiceRequest generatedParser() throws InvalidProtocolBufferException {
    return ExportTraceServiceRequest.parseFrom(body);
  }
}
