package io.tracemetrics.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The wire scan and the splitter against protobuf-java's generated parser, on any bytes. Without
 * {@code JAZZER_FUZZ} the committed corpus ({@code TracesScannerFuzzTestInputs/}) is replayed; with
 * {@code JAZZER_FUZZ=1} Jazzer searches for inputs that break a property for {@code maxDuration} (the
 * only bound jazzer-junit takes; change it here for a longer run) and writes what it finds into that
 * directory:
 *
 * <ul>
 *   <li>the scanner throws nothing but its own refusal ({@link InvalidProtocolBufferException});
 *   <li>what it accepts, the parser accepts, with the same span count; what it refuses and the parser
 *       accepts falls under one of the documented ways it is stricter (a known field with the wrong
 *       wire type, a reserved field number, a tag or length varint over 32 bits, a varint over 64
 *       bits, which protobuf-java alone accepts);
 *   <li>the span fast path changes nothing: the generic reader alone gives the same answer and message;
 *   <li>split records are each within the budget and parse back to exactly the request's spans, each
 *       with its resource, scope and unknown fields;
 *   <li>the scan's memory is linear in the body (see {@link #assertAllocationLinear}).
 * </ul>
 */
class TracesScannerFuzzTest {
  /** Messages of the documented refusals of input that protobuf-java's parser would accept. */
  private static final List<String> STRICTER_THAN_THE_PARSER =
      List.of("which its type does not allow", "is reserved", "varint is longer than 32 bits",
          "varint is longer than 64 bits");
  /**
   * Bytes the scan may allocate per body byte, plus a constant. The worst case is a body of empty
   * ResourceSpans (two bytes each, and a slice, a list and a {@code Ranges} each): about 60 bytes per
   * body byte. A scan that re-read nested content per level, or copied it, would exceed this on the
   * deep-nesting seeds (hundreds of KB), and does so deterministically, unlike a timing bound.
   */
  private static final long ALLOCATED_BYTES_PER_BODY_BYTE = 128;
  private static final long ALLOCATED_BYTES_CONSTANT = 1 << 20;

  @FuzzTest(maxDuration = "2m")
  void scannerAgreesWithTheParser(byte[] body) throws Exception {
    String fastRefusal = refusal(body, true);
    // Measured on a second, identical scan: the first loads (and Jazzer instruments) what its path needs.
    long before = allocatedBytes();
    ScannedTraces scanned = scanOrNull(body);
    assertAllocationLinear(body.length, allocatedBytes() - before);
    ExportTraceServiceRequest parsed = parseOrNull(body);

    assertThat(refusal(body, false)).as("the generic reader alone gives the same answer").isEqualTo(fastRefusal);
    if (scanned == null) {
      if (parsed != null) {
        assertThat(fastRefusal).as("a refusal of input the parser accepts is a documented one")
            .containsAnyOf(STRICTER_THAN_THE_PARSER.toArray(new String[0]));
      }
      return;
    }
    assertThat(parsed).as("the parser accepts what the scanner accepts").isNotNull();
    assertThat(scanned.spanCount()).isEqualTo(spanCount(parsed));
    assertSplitReassembles(scanned, parsed, 64);
    assertSplitReassembles(scanned, parsed, 64 + body.length / 2);
  }

  private static void assertSplitReassembles(ScannedTraces scanned, ExportTraceServiceRequest parsed, int budget)
      throws InvalidProtocolBufferException {
    List<byte[]> records;
    try {
      records = new TracesSplitter(budget).split(scanned);
    } catch (TracesSplitter.SpanTooLargeException e) {
      return;   // the whole request is refused: nothing is written, nothing lost
    }
    if (scanned.size() <= budget) {
      assertThat(records).containsExactly(scanned.bytes());
      return;
    }
    List<TestTraces.SpanInContext> spans = new ArrayList<>();
    for (byte[] record : records) {
      assertThat(record.length).isLessThanOrEqualTo(budget);
      assertThat(TracesScanner.scan(record).spanCount()).as("a split record holds spans").isPositive();
      spans.addAll(TestTraces.spansInContext(TracesData.parseFrom(record)));
    }
    // List equality, not containsExactlyElementsOf: AssertJ's diff is quadratic (18 s for 50,000 spans).
    assertThat(spans.equals(TestTraces.spansInContext(parsed))).as("split records hold the request's spans").isTrue();
  }

  /**
   * Allocation as the measure of the scan's work: it is deterministic for an input (timing on a shared
   * 2-core machine is not), and every structure the scan builds is proportional to what it visited.
   * CPU blow-ups without allocation (re-reading the same bytes) are caught by libFuzzer's per-input
   * timeout in fuzzing mode, and by the corpus's largest seeds, which the suite replays.
   */
  private static void assertAllocationLinear(int bodyBytes, long allocated) {
    if (allocated >= 0) {
      assertThat(allocated).as("bytes allocated scanning %d bytes", bodyBytes)
          .isLessThanOrEqualTo(ALLOCATED_BYTES_PER_BODY_BYTE * bodyBytes + ALLOCATED_BYTES_CONSTANT);
    }
  }

  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
        && threads.isThreadAllocatedMemoryEnabled()) {
      return threads.getCurrentThreadAllocatedBytes();
    }
    return Long.MIN_VALUE;   // not measurable on this JVM: the difference is negative and not checked
  }

  @Nullable
  private static ScannedTraces scanOrNull(byte[] body) {
    try {
      return TracesScanner.scan(body, true);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  @Nullable
  private static String refusal(byte[] body, boolean fastPath) {
    try {
      TracesScanner.scan(body, fastPath);
      return null;
    } catch (InvalidProtocolBufferException e) {
      return e.getMessage();
    }
  }

  @Nullable
  private static ExportTraceServiceRequest parseOrNull(byte[] body) {
    try {
      return ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  private static long spanCount(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream())
        .mapToLong(s -> s.getSpansCount())
        .sum();
  }
}
