package io.tracemetrics.job.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Protobuf records, any bytes: the wire decoder never throws, does linear work, and whenever
 * {@code TracesData.parseFrom} takes the record it yields exactly the spans and span rejections of the
 * generated classes, except that a varint longer than its type (a value over 64 bits, a tag or length over
 * 32) is refused where protobuf-java keeps its low bits: the limits of {@link WireReader}, the gateway's.
 * Where protobuf-java refuses a record the wire decoder may still count it: it does not look inside fields
 * it steps over (see {@link WireTracesDecoder}). Corpus:
 * src/test/resources/io/tracemetrics/job/otlp/WireDecoderFuzzTestInputs/; {@code scripts/fuzz.sh} grows it.
 */
class WireDecoderFuzzTest {
  private static final List<TracesDecoder> DECODERS = List.of(
      TracesDecoder.plain(),
      new TracesDecoder(Dimensions.of(List.of("http.route", "deployment.environment=none", "tags")), false, false),
      new TracesDecoder(Dimensions.of(List.of("service.version")), true, true));

  @FuzzTest
  void decodesLikeProtobufJava(byte[] value) {
    for (TracesDecoder decoder : DECODERS) {
      DecodeBudget budget = new DecodeBudget();
      WireTracesDecoderTest.Outcome wire = WireTracesDecoderTest.viaWire(decoder, value, null);
      budget.check(value.length, "wire");
      WireTracesDecoderTest.Outcome reference = WireTracesDecoderTest.viaMessages(decoder, value, null);
      if (!reference.rejections().containsKey(TracesDecoder.Rejection.UNDECODABLE)
          && !refusedForAnOverlongVarint(decoder, value)) {
        assertThat(wire).as("what protobuf-java takes, the wire decoder takes alike").isEqualTo(reference);
      }
      if (wire.rejections().containsKey(TracesDecoder.Rejection.UNDECODABLE)
          || wire.rejections().containsKey(TracesDecoder.Rejection.NOT_TRACES)) {
        assertThat(wire.spans()).as("a refused record gives no span").isEmpty();
      }
    }
  }

  /** Whether the wire decoder refused the record for a varint longer than {@link WireReader} allows. */
  private static boolean refusedForAnOverlongVarint(TracesDecoder decoder, byte[] value) {
    WireLimitsTest.Outcome outcome = WireLimitsTest.decodeAny(decoder, value);
    return outcome.detail() != null && outcome.detail().contains("varint is longer than");
  }
}
