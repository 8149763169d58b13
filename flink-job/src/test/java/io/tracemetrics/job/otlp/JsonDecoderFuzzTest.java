package io.tracemetrics.job.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * OTLP JSON records, any text: the decoder never throws, does linear work, and either refuses the record
 * for a reason or yields exactly the spans of protobuf's own JSON mapping ({@code JsonFormat}, read
 * without the decoder's checks). Corpus: src/test/resources/io/tracemetrics/job/otlp/JsonDecoderFuzzTestInputs/.
 */
class JsonDecoderFuzzTest {
  private static final TracesDecoder DECODER =
      new TracesDecoder(Dimensions.of(List.of("http.route", "tags")), false, false);
  private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

  @FuzzTest
  void decodesLikeJsonFormat(byte[] value) {
    DecodeBudget budget = new DecodeBudget();
    WireTracesDecoderTest.Outcome decoded = WireTracesDecoderTest.viaWire(DECODER, value, null);
    budget.check(value.length, "json");
    if (decoded.rejections().containsKey(TracesDecoder.Rejection.UNDECODABLE)
        || decoded.rejections().containsKey(TracesDecoder.Rejection.NOT_TRACES)) {
      assertThat(decoded.spans()).as("a refused record gives no span").isEmpty();
      return;
    }
    if (!looksLikeJson(value)) {
      return; // protobuf: WireDecoderFuzzTest's business
    }
    TracesData traces;
    try {
      TracesData.Builder builder = TracesData.newBuilder();
      JSON.merge(new String(value, StandardCharsets.UTF_8), builder);
      traces = builder.build();
    } catch (Exception | StackOverflowError e) {
      if (value[0] == '\n') {
        return; // "\n{" that is protobuf (a first ResourceSpans of 123 bytes), read as such
      }
      throw new AssertionError("the decoder took JSON that JsonFormat refuses: " + e, e);
    }
    WireTracesDecoderTest.Outcome reference = new WireTracesDecoderTest.Outcome(new java.util.ArrayList<>(),
        new java.util.EnumMap<>(TracesDecoder.Rejection.class));
    DECODER.decodeMessages(traces, null, new TracesDecoder.Sink() {
      @Override
      public void accept(SpanEvent span) {
        reference.spans().add(span);
      }

      @Override
      public void rejected(TracesDecoder.Rejection reason, int count) {
        reference.rejections().merge(reason, count, Integer::sum);
      }
    });
    assertThat(decoded).isEqualTo(reference);
  }

  private static boolean looksLikeJson(byte[] value) {
    for (byte b : value) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b == '{';
      }
    }
    return false;
  }
}
