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
  private static final TracesDecoder DECODER = TracesDecoder.plain();
  private static final long T = 1_700_000_000_000_000_000L; // 2023-11-14, in nanoseconds
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
                            .addSpans(span("GET /cart", T + 1_000_000_000L, T + 1_250_000_000L, Span.SpanKind.SPAN_KIND_SERVER,
                                Status.StatusCode.STATUS_CODE_ERROR))
                            .addSpans(span("db", T + 1_100_000_000L, T + 1_100_000_001L, Span.SpanKind.SPAN_KIND_CLIENT,
                                Status.StatusCode.STATUS_CODE_UNSET))))
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span("anon", T + 5, T + 7,
                        Span.SpanKind.SPAN_KIND_INTERNAL, Status.StatusCode.STATUS_CODE_OK))))
            .build();

    DECODER.decode(traces.toByteArray(), null, sink);

    assertThat(spans)
        .containsExactly(
            new SpanEvent("checkout", "GET /cart", 2, 2, 1_700_000_001_250L, 250_000_000L, "eu-west-1"),
            new SpanEvent("checkout", "db", 3, 0, 1_700_000_001_100L, 1, "eu-west-1"),
            new SpanEvent(TracesDecoder.UNKNOWN_SERVICE, "anon", 1, 1, 1_700_000_000_000L, 2, ""));
    assertThat(rejections).isEmpty();
  }

  @Test
  void regionGivenByTheRecordWinsOverTheResourceAttribute() {
    TracesData traces =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(attribute("cloud.region", "eu-west-1")))
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span("a", T + 1, T + 2,
                        Span.SpanKind.SPAN_KIND_SERVER, Status.StatusCode.STATUS_CODE_OK))))
            .build();
    DECODER.decode(traces.toByteArray(), "us-east", sink);
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
    DECODER.decode(json.getBytes(StandardCharsets.UTF_8), null, sink);
    assertThat(spans)
        .containsExactly(new SpanEvent("my-app", "test-request", 2, 2, 1544712661000L, 1_000_000_000L, ""));
  }

  @Test
  void garbageIsRejectedAsUndecodableAndNothingIsEmitted() {
    DECODER.decode("not otlp at all".getBytes(StandardCharsets.UTF_8), null, sink);
    DECODER.decode(new byte[] {0x0A, 0x7F, 0x01}, null, sink);
    DECODER.decode("{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), null, sink);
    assertThat(spans).isEmpty();
    assertThat(rejections).containsEntry(TracesDecoder.Rejection.UNDECODABLE, 2)
        .containsEntry(TracesDecoder.Rejection.INVALID_JSON, 1);
  }

  @Test
  void spansEndingBeforeTheyStartOrWithoutTimesAreRejected() {
    TracesData traces =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .addSpans(span("backwards", T + 10, T + 9, Span.SpanKind.SPAN_KIND_SERVER,
                                Status.StatusCode.STATUS_CODE_OK))
                            .addSpans(span("no-times", 0, 0, Span.SpanKind.SPAN_KIND_SERVER,
                                Status.StatusCode.STATUS_CODE_OK))
                            .addSpans(span("fine", T + 10, T + 10, Span.SpanKind.SPAN_KIND_SERVER,
                                Status.StatusCode.STATUS_CODE_OK))))
            .build();
    DECODER.decode(traces.toByteArray(), null, sink);
    assertThat(spans).extracting(SpanEvent::spanName).containsExactly("fine");
    assertThat(rejections).containsEntry(TracesDecoder.Rejection.INVALID_TIMES, 2);
  }

  @Test
  void spansFromBefore2000OrADayAheadAreAbsurdAndRejected() {
    long now = System.currentTimeMillis() * 1_000_000L;
    TracesData traces =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .addSpans(span("1970", 5, 7, Span.SpanKind.SPAN_KIND_SERVER, Status.StatusCode.STATUS_CODE_OK))
                            .addSpans(span("tomorrow", now + 90_000_000_000_000L, now + 90_000_000_000_001L,
                                Span.SpanKind.SPAN_KIND_SERVER, Status.StatusCode.STATUS_CODE_OK))
                            .addSpans(span("now", now - 1, now, Span.SpanKind.SPAN_KIND_SERVER,
                                Status.StatusCode.STATUS_CODE_OK))))
            .build();
    DECODER.decode(traces.toByteArray(), null, sink);
    assertThat(spans).extracting(SpanEvent::spanName).containsExactly("now");
    assertThat(rejections).containsEntry(TracesDecoder.Rejection.ABSURD_TIME, 2);
  }

  @Test
  void dimensionsComeFromSpanAttributesThenResourceThenTheDefault() {
    TracesDecoder decoder =
        new TracesDecoder(Dimensions.of(List.of("http.method", "deployment.environment", "tier=free")), false, true);
    Span withMethod = span("a", T, T + 1, Span.SpanKind.SPAN_KIND_SERVER, Status.StatusCode.STATUS_CODE_ERROR)
        .toBuilder()
        .addAttributes(attribute("http.method", "POST"))
        .addAttributes(KeyValue.newBuilder().setKey("deployment.environment")
            .setValue(AnyValue.newBuilder().setIntValue(7)))
        .build();
    TracesData traces =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(attribute("deployment.environment", "prod")))
                    .addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(withMethod)
                        .addSpans(span("b", T, T + 1, Span.SpanKind.SPAN_KIND_SERVER, Status.StatusCode.STATUS_CODE_OK))))
            .build();
    decoder.decode(traces.toByteArray(), null, sink);
    assertThat(spans).extracting(span -> List.of(span.dimensions()))
        .containsExactly(List.of("POST", "7", "free"), List.of("", "prod", "free"));
    assertThat(spans).extracting(SpanEvent::statusCode).containsOnly(SpanEvent.EXCLUDED);
    assertThat(spans).extracting(SpanEvent::spanKind).containsOnly(2);
  }

  @Test
  void dimensionNamesBecomeLabelsAndMayNotShadowTheJobsOwn() {
    Dimensions dimensions = Dimensions.of(List.of("http.method", "k8s.pod-name", "1st"));
    assertThat(List.of(dimensions.label(0), dimensions.label(1), dimensions.label(2)))
        .containsExactly("http_method", "k8s_pod_name", "key_1st");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Dimensions.of(List.of("service.name")))
        .hasMessageContaining("service_name");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Dimensions.of(List.of("a.b", "a_b")))
        .hasMessageContaining("both become");
  }

  @Test
  void emptyRecordIsCountedAsEmptyAndHoldsNoSpans() {
    DECODER.decode(new byte[0], null, sink);
    assertThat(spans).isEmpty();
    assertThat(rejections).containsExactly(Map.entry(TracesDecoder.Rejection.EMPTY, 1));
  }
}
