package io.tracemetrics.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {
  private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
  private static final String SPAN_ID = "eee19b7ec3c1b174";
  private static final String PARENT_ID = "EEE19B7EC3C1B173";

  static String spanJson(String traceId, String spanId) {
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
        + "\"value\":{\"stringValue\":\"checkout\"}}]},\"futureField\":42,"
        + "\"scopeSpans\":[{\"scope\":{\"name\":\"lib\"},\"spans\":[{"
        + "\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId + "\",\"parentSpanId\":\"" + PARENT_ID + "\","
        + "\"name\":\"GET /cart\",\"kind\":2,"
        + "\"startTimeUnixNano\":\"1700000000000000001\",\"endTimeUnixNano\":1700000000050000000,"
        + "\"links\":[{\"traceId\":\"" + TRACE_ID + "\",\"spanId\":\"" + SPAN_ID + "\"}],"
        + "\"status\":{\"code\":2}}]}]}]}";
  }

  @Test
  void decodesHexIdsIntegerEnumsAndInt64AsStringOrNumber() throws Exception {
    ExportTraceServiceRequest request =
        OtlpJson.parseRequest(spanJson(TRACE_ID, SPAN_ID).getBytes(StandardCharsets.UTF_8));

    Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getTraceId().toByteArray()).isEqualTo(HexFormat.of().parseHex(TRACE_ID));
    assertThat(span.getSpanId().toByteArray()).isEqualTo(HexFormat.of().parseHex(SPAN_ID));
    assertThat(span.getParentSpanId().toByteArray()).isEqualTo(HexFormat.of().parseHex(PARENT_ID));
    assertThat(span.getLinks(0).getTraceId().toByteArray()).isEqualTo(HexFormat.of().parseHex(TRACE_ID));
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1_700_000_000_000_000_001L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1_700_000_000_050_000_000L);
  }

  @Test
  void emptyIdsStayEmpty() throws Exception {
    ExportTraceServiceRequest request = OtlpJson.parseRequest(spanJson("", "").getBytes(StandardCharsets.UTF_8));

    assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().isEmpty()).isTrue();
  }

  @Test
  void refusesIdsOfTheWrongLengthOrNotHex() {
    assertThatThrownBy(() -> OtlpJson.parseRequest(spanJson("abcd", SPAN_ID).getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidProtocolBufferException.class);
    assertThatThrownBy(() -> OtlpJson.parseRequest(
            spanJson("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", SPAN_ID).getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("hex");
  }

  @Test
  void refusesMalformedJson() {
    assertThatThrownBy(() -> OtlpJson.parseRequest("{\"resourceSpans\":[".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void printsEmptyResponseAsEmptyObject() {
    assertThat(new String(OtlpJson.print(ExportTraceServiceResponse.getDefaultInstance()), StandardCharsets.UTF_8))
        .isEqualTo("{}");
  }
}
