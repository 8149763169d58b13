package io.tracemetrics.job.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The fuzz tests' bound on work: CPU time of the decoding thread, at most a fixed allowance plus a time
 * per byte. Thread CPU time, not wall time: other builds on the machine, GC and JIT threads do not count,
 * so it does not flake. The allowance is some hundred times what decoding costs (about 0.1 µs a byte,
 * far less for bytes stepped over), so it catches work that grows faster than the input on the large
 * records of the corpus (300 KB of nested groups, 100,000-deep JSON), not a constant factor.
 */
final class DecodeBudget {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long FIXED_NANOS = 500_000_000L; // class loading and the interpreter on a first call
  private static final long NANOS_PER_BYTE = 20_000L;

  static {
    // Loading (and, when fuzzing, instrumenting) the decoders' classes is not decoding: done once, unmeasured.
    TracesDecoder decoder = new TracesDecoder(Dimensions.of(java.util.List.of("http.route")), false, false);
    for (byte[] value : java.util.List.of(Records.everyField().toByteArray(), Records.utf8("{}"), Records.utf8("{x"),
        Records.nestedGroups(200), Records.utf8(printJson()))) {
      WireTracesDecoderTest.viaWire(decoder, value, null);
      WireTracesDecoderTest.viaMessages(decoder, value, null);
    }
  }

  private final long start = THREADS.getCurrentThreadCpuTime();

  private static String printJson() {
    try {
      return com.google.protobuf.util.JsonFormat.printer().print(Records.everyField());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  void check(int bytes, String what) {
    long spent = THREADS.getCurrentThreadCpuTime() - start;
    assertThat(spent).as("CPU ns to decode %d bytes (%s)", bytes, what)
        .isLessThanOrEqualTo(FIXED_NANOS + NANOS_PER_BYTE * bytes);
  }
}
