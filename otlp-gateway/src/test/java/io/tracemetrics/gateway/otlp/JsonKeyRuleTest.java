package io.tracemetrics.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Descriptors.Descriptor;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonKeyRuleTest {
  private static final Map<String, Descriptor> TYPES = Map.of(
      "Request", ExportTraceServiceRequest.getDescriptor(),
      "ResourceSpans", ResourceSpans.getDescriptor(),
      "ScopeSpans", ScopeSpans.getDescriptor(),
      "Span", Span.getDescriptor(),
      "Status", Status.getDescriptor());

  @ParameterizedTest(name = "{0} {1} in {2} -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      Request       | resourceSpans                 | {}                                    | KNOWN
      Request       | resource_spans                | {}                                    | KNOWN
      Request       | resourceLogs                  | {}                                    | UNKNOWN
      ResourceSpans | scopeSpans                    | {}                                    | KNOWN
      ResourceSpans | instrumentationLibrarySpans   | {}                                    | TRANSCODE
      ResourceSpans | instrumentation_library_spans | {}                                    | TRANSCODE
      ResourceSpans | instrumentationLibrarySpans   | {"scopeSpans":[]}                     | TRANSCODE
      ResourceSpans | instrumentationLibrarySpans   | {"scopeSpans":null}                   | TRANSCODE
      ResourceSpans | instrumentationLibrarySpans   | {"scopeSpans":[{}]}                   | IGNORE_LEGACY_DUPLICATE
      ResourceSpans | instrumentationLibrarySpans   | {"scope_spans":[{}]}                  | IGNORE_LEGACY_DUPLICATE
      ResourceSpans | scopeSpan                     | {}                                    | UNKNOWN
      ScopeSpans    | instrumentationLibrary        | {}                                    | TRANSCODE
      ScopeSpans    | instrumentationLibrary        | {"scope":{"name":"x"}}                | IGNORE_LEGACY_DUPLICATE
      Span          | instrumentationLibrary        | {}                                    | UNKNOWN
      Span          | parentSpanId                  | {}                                    | KNOWN
      Span          | parent_span_id                | {}                                    | KNOWN
      Span          | ParentSpanId                  | {}                                    | UNKNOWN
      Status        | deprecatedCode                | {}                                    | TRANSCODE
      Status        | deprecated_code               | {"code":0}                            | TRANSCODE
      Status        | deprecatedCode                | {"code":"STATUS_CODE_UNSET"}          | TRANSCODE
      Status        | deprecatedCode                | {"code":1}                            | IGNORE_LEGACY_DUPLICATE
      Status        | deprecatedCode                | {"code":"STATUS_CODE_ERROR"}          | IGNORE_LEGACY_DUPLICATE
      """)
  void decidesPerKeyAndSiblings(String type, String key, String siblings, JsonKeyRule.Action expected) {
    JsonObject object = JsonParser.parseString(siblings).getAsJsonObject();

    assertThat(JsonKeyRule.decide(TYPES.get(type), key, object).action()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "deprecatedCode {0} -> code {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0                                   | 0
      "DEPRECATED_STATUS_CODE_OK"         | 0
      null                                | 0
      2                                   | 2
      13                                  | 2
      "DEPRECATED_STATUS_CODE_UNKNOWN_ERROR" | 2
      """)
  void deprecatedStatusCodeMeansErrorUnlessOk(String deprecated, int code) {
    assertThat(JsonKeyRule.transcodedValue(Status.getDescriptor(), JsonParser.parseString(deprecated)).getAsInt())
        .isEqualTo(code);
  }
}
