package io.tracemetrics.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracemetrics.gateway.ingest.ScannedTraces;
import io.tracemetrics.gateway.ingest.TracesScanner;

/**
 * The OTLP/JSON path on any bytes (corpus in {@code OtlpJsonFuzzTestInputs/}, replayed by every test
 * run; {@code JAZZER_FUZZ=1} searches): it throws nothing but its refusal, what it accepts the wire scan
 * accepts with the request's span count (so a JSON body can never become a record a consumer refuses),
 * and the report is consistent with what was removed.
 */
class OtlpJsonFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void jsonPathRefusesOrProducesAScannableRequest(byte[] body) throws Exception {
    OtlpJson.Parsed parsed;
    try {
      parsed = OtlpJson.parse(body);
    } catch (InvalidProtocolBufferException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    ExportTraceServiceRequest request = parsed.request();
    ScannedTraces scanned = TracesScanner.scan(request.toByteArray());
    assertThat(scanned.spanCount()).isEqualTo(request.getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream()).mapToLong(s -> s.getSpansCount()).sum());
    assertThat(ExportTraceServiceRequest.parseFrom(scanned.bytes())).isEqualTo(request);
    JsonSchemaWalk.Report report = parsed.report();
    assertThat(report.unknownPaths()).hasSizeLessThanOrEqualTo(report.unknownFields());
    assertThat(report.isEmpty() || !report.message().isEmpty()).isTrue();
  }
}
