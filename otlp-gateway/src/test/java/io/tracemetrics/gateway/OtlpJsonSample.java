package io.tracemetrics.gateway;

import java.util.List;
import java.util.Map;

/**
 * An OTLP/HTTP JSON request written by hand after the OTLP JSON mapping (hex ids, enums as integers, int64
 * as strings, camelCase field names), and the spans the gateway must turn it into.
 */
final class OtlpJsonSample {
  private OtlpJsonSample() {}

  static final String REQUEST = """
      {"resourceSpans": [{
        "resource": {"attributes": [
          {"key": "service.name", "value": {"stringValue": "json-client"}},
          {"key": "host.cores", "value": {"intValue": "2"}}]},
        "schemaUrl": "https://opentelemetry.io/schemas/1.26.0",
        "scopeSpans": [{
          "scope": {"name": "json-scope", "version": "2.0"},
          "spans": [
            {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",
             "parentSpanId": "eee19b7ec3c1b173", "name": "GET /items", "kind": 3,
             "startTimeUnixNano": "1700000000000000000", "endTimeUnixNano": "1700000000250000000",
             "attributes": [
               {"key": "http.response.status_code", "value": {"intValue": "503"}},
               {"key": "ratio", "value": {"doubleValue": 0.25}},
               {"key": "retried", "value": {"boolValue": true}},
               {"key": "tags", "value": {"arrayValue": {"values": [{"stringValue": "a"}, {"stringValue": "b"}]}}}],
             "events": [{"timeUnixNano": "1700000000100000000", "name": "retry",
               "attributes": [{"key": "attempt", "value": {"intValue": "2"}}]}],
             "status": {"code": 2, "message": "upstream failed"}},
            {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331",
             "name": "consume", "kind": 5,
             "startTimeUnixNano": "1700000001000000000", "endTimeUnixNano": "1700000001000500000",
             "status": {}}
          ]}]}]}
      """;

  static List<SpanView> expectedSpans() {
    Map<String, String> resource = Map.of("service.name", "json-client", "host.cores", "2");
    SpanView first = new SpanView(resource, "json-scope@2.0", "5b8efff798038103d269b633813fc60c",
        "eee19b7ec3c1b174", "eee19b7ec3c1b173", "GET /items", 3, 1_700_000_000_000_000_000L,
        1_700_000_000_250_000_000L,
        Map.of("http.response.status_code", "503", "ratio", "0.25", "retried", "true", "tags", "[a, b]"),
        List.of("retry@1700000000100000000{attempt=2}"), 2, "upstream failed");
    SpanView second = new SpanView(resource, "json-scope@2.0", "0af7651916cd43dd8448eb211c80319c",
        "b7ad6b7169203331", "", "consume", 5, 1_700_000_001_000_000_000L, 1_700_000_001_000_500_000L,
        Map.of(), List.of(), 0, "");
    return List.of(first, second);
  }
}
