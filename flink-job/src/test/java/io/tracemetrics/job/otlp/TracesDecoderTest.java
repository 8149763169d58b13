package io.tracemetrics.job.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracesDecoderTest {
  private final List<SpanEvent> spans = new ArrayList<>();
  private final Map<TracesDecoder.Rejection, Integer> rejections = new EnumMap<>(TracesDecoder.Rejection.class);
  private final TracesDecoder.Sink sink =
      new TracesDecoder.Sink() {
        @Override
        public void accept(SpanEvent span) {
          spans.add(span);
        }

        @Override
        public void rejected(TracesDecoder.Rejection reason, int count) {
          rejections.merge(reason, count, Integer::sum);
        }
      };

  static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static Span span(String name, long startNanos, long endNanos, Span.SpanKind kind, Status.StatusCode status) {
    return Span.newBuilder()
        .setName(name)
        .setKind(kind)
        .setStartTimeUnixNano(startNanos)
        .setEndTimeUnixNano(endNanos)
        .setStatus(Status.newBuilder().setCode(status))
        .build();
  }

  @Test
  void protobufRecordGivesOneEventPerSpanWithServiceKindStatusAndTimes() {
    TracesData traces =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "checkout"))
                        .addAttributes(attribute("cloud.region", "eu-west-1")))
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .addSpans(span("GET /cart", 1_000_000_000L, 1_250_000_000L, Span.SpanKind.SPAN_KIND_SERVER,
                                Status.StatusCode.STATUS_CODE_ERROR))
                            .addSpans(span("db", 1_100_000_000L, 1_100_000_001L, Span.SpanKind.SPAN_KIND_CLIENT,
                                Status.StatusCode.STATUS_CODE_UNSET))))
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span("anon", 5, 7,
                        Span.SpanKind.SPAN_KIND_INTERNAL, Status.StatusCode.STATUS_CODE_OK))))
            .build();

    TracesDecoder.decode(traces.toByteArray(), null, sink);

    assertThat(spans)
        .containsExactly(
            new SpanEvent("checkout", "GET /cart", 2, 2, 1250, 250_000_000L, "eu-west-1"),
            new SpanEvent("checkout", "db", 3, 0, 1100, 1, "eu-west-1"),
            new SpanEvent(TracesDecoder.UNKNOWN_SERVICE, "anon", 1, 1, 0, 2, ""));
    assertThat(rejections).isEmpty();
  }

  @Test
  void regionGivenByTheRecordWinsOverTheResourceAttribute() {
    TracesData traces =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(attribute("cloud.region", "eu-west-1")))
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span("a", 1, 2,
                        Span.SpanKind.SPAN_KIND_SERVER, Status.StatusCode.STATUS_CODE_OK))))
            .build();
    TracesDecoder.decode(traces.toByteArray(), "us-east", sink);
    assertThat(spans).extracting(SpanEvent::region).containsExactly("us-east");
  }

  @Test
  void otlpJsonAsTheCollectorWritesItIsDecoded() {
    String json =
        """
         {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my-app"}}]},
          "scopeSpans":[{"scope":{"name":"x"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",
          "spanId":"eee19b7ec3c1b174","name":"test-request","kind":2,"startTimeUnixNano":"1544712660000000000",
          "endTimeUnixNano":1544712661000000000,"status":{"code":2},"someFutureField":true}]}]}]}
        """;
    TracesDecoder.decode(json.getBytes(StandardCharsets.UTF_8), null, sink);
    assertThat(spans)
        .containsExactly(new SpanEvent("my-app", "test-request", 2, 2, 1544712661000L, 1_000_000_000L, ""));
  }

  @Test
  void garbageIsRejectedAsUndecodableAndNothingIsEmitted() {
    TracesDecoder.decode("not otlp at all".getBytes(StandardCharsets.UTF_8), null, sink);
    TracesDecoder.decode(new byte[] {0x0A, 0x7F, 0x01}, null, sink);
    TracesDecoder.decode("{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), null, sink);
    assertThat(spans).isEmpty();
    assertThat(rejections).containsEntry(TracesDecoder.Rejection.UNDECODABLE, 3);
  }

  @Test
  void spansEndingBeforeTheyStartOrWithoutTimesAreRejected() {
    TracesData traces =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .addSpans(span("backwards", 10, 9, Span.SpanKind.SPAN_KIND_SERVER,
                                Status.StatusCode.STATUS_CODE_OK))
                            .addSpans(span("no-times", 0, 0, Span.SpanKind.SPAN_KIND_SERVER,
                                Status.StatusCode.STATUS_CODE_OK))
                            .addSpans(span("fine", 10, 10, Span.SpanKind.SPAN_KIND_SERVER,
                                Status.StatusCode.STATUS_CODE_OK))))
            .build();
    TracesDecoder.decode(traces.toByteArray(), null, sink);
    assertThat(spans).extracting(SpanEvent::spanName).containsExactly("fine");
    assertThat(rejections).containsEntry(TracesDecoder.Rejection.INVALID_TIMES, 2);
  }

  @Test
  void emptyRecordIsValidAndHoldsNoSpans() {
    TracesDecoder.decode(new byte[0], null, sink);
    assertThat(spans).isEmpty();
    assertThat(rejections).isEmpty();
  }
}
