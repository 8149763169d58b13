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

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
      duplicate key                 | {"resourceSpans":[],"resourceSpans":[]}                 | duplicate key $.resourceSpans
      duplicate key inside a span   | {"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a","name":"b"}]}]}]} | duplicate key
      not an object                 | []                                                      | must be an object
      trailing content              | {} {}                                                   | invalid JSON
      unknown enum name             | {"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SERVERR"}]}]}]} | invalid OTLP JSON
      single quotes                 | {'resourceSpans':[]}                                    | invalid JSON
      unpaired surrogate escape     | {"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a\\ud800"}]}]}]} | unpaired surrogate \\uD800
      low surrogate first           | {"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"\\udc00\\ud800"}]}]}]} | unpaired surrogate \\uDC00
      """)
  void refusesJsonThatWouldLoseDataSilently(String what, String json, String message) {
    assertThatThrownBy(() -> OtlpJson.parse(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining(message);
  }

  @Test
  void refusesBodiesThatAreNotUtf8OrNestTooDeep() {
    byte[] latin1 = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"caf\u00e9\"}]}}]}"
        .getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> OtlpJson.parse(latin1)).hasMessageContaining("not valid UTF-8");
    String deep = "{\"x\":" + "[".repeat(300) + "]".repeat(300) + "}";
    assertThatThrownBy(() -> OtlpJson.parse(deep.getBytes(StandardCharsets.UTF_8))).hasMessageContaining("deeper than");
  }

  @Test
  void legacyNamesAreTranscodedAndADoublePublishIsIgnoredOnce() throws Exception {
    String json = "{\"resourceSpans\":[{\"instrumentationLibrarySpans\":[{\"instrumentationLibrary\":{\"name\":\"old\"},"
        + "\"spans\":[{\"name\":\"a\"}]}]},"
        + "{\"scopeSpans\":[{\"spans\":[{\"name\":\"b\"}]}],\"instrumentationLibrarySpans\":[{\"spans\":[{\"name\":\"b\"}]}]}]}";

    OtlpJson.Parsed parsed = OtlpJson.parse(json.getBytes(StandardCharsets.UTF_8));

    assertThat(parsed.request().getResourceSpans(0).getScopeSpans(0).getScope().getName()).isEqualTo("old");
    assertThat(parsed.request().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).isEqualTo("a");
    assertThat(parsed.request().getResourceSpans(1).getScopeSpansCount()).isEqualTo(1);
    assertThat(parsed.report().transcoded())
        .containsEntry("instrumentationLibrarySpans", 1).containsEntry("instrumentationLibrary", 1);
    assertThat(parsed.report().legacyDuplicates()).isEqualTo(1);
    assertThat(parsed.report().legacyDuplicateSpans()).isEqualTo(1);
    assertThat(parsed.report().unknownFields()).isZero();
  }

  @Test
  void unknownFieldsAreRemovedCountedWithTheSpansTheyHeldAndNamed() throws Exception {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"a\",\"futureField\":{\"spans\":[1]}}]}],"
        + "\"scopeSpan\":[{\"spans\":[{},{}]}]}],\"resourceLogs\":[]}";

    OtlpJson.Parsed parsed = OtlpJson.parse(json.getBytes(StandardCharsets.UTF_8));

    assertThat(parsed.request().getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(1);
    assertThat(parsed.report().unknownFields()).isEqualTo(3);
    assertThat(parsed.report().unknownSpans()).isEqualTo(3);
    assertThat(parsed.report().unknownPaths()).containsExactlyInAnyOrder(
        "resourceSpans[0].scopeSpans[0].spans[0].futureField", "resourceSpans[0].scopeSpan", "resourceLogs");
    assertThat(parsed.report().message()).contains("holding 3 span(s), which were not accepted");
  }
}
