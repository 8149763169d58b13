package io.tracemetrics.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TracesSplitterTest {

  @ParameterizedTest(name = "{0} services x {1} scopes x {2} spans of {3} B, limit {4} B -> {5} values")
  @CsvSource({
      // fits as a whole: one value, unchanged
      "1, 1, 1, 100, 4096, 1",
      "3, 2, 5, 50, 65536, 1",
      // split at ResourceSpans boundaries only (each service fits)
      "4, 1, 10, 100, 2000, 4",
      // one ResourceSpans too large: split at ScopeSpans
      "1, 4, 5, 100, 1200, 4",
      // one ScopeSpans too large: split between spans
      "1, 1, 40, 200, 1500, 8",
      // mixed: every ScopeSpans fits alone, but no two fit together
      "3, 3, 7, 150, 1800, 9",
  })
  void splitKeepsEverySpanInOrderAndEveryValueWithinTheLimit(int services, int scopes, int spans,
      int padding, int limit, int expectedValues) throws Exception {
    ExportTraceServiceRequest request = TestTraces.request(services, scopes, spans, padding);

    List<byte[]> records = new TracesSplitter(limit).split(TestTraces.scanned(request));
    List<TracesData> values = TestTraces.parse(records);

    assertThat(values).hasSize(expectedValues);
    assertThat(records).allSatisfy(v -> assertThat(v.length).isLessThanOrEqualTo(limit));
    assertThat(TestTraces.spanKeys(values)).containsExactlyElementsOf(TestTraces.spanKeys(request));
  }

  @Test
  void requestThatFitsIsOneValueWithTheSameBytes() throws Exception {
    ExportTraceServiceRequest request = TestTraces.request(2, 2, 3, 10);

    List<byte[]> values = new TracesSplitter(1 << 20).split(TestTraces.scanned(request));

    assertThat(values).hasSize(1);
    assertThat(values.get(0)).isEqualTo(request.toByteArray());
  }

  @Test
  void fragmentsKeepTheirResourceAndScope() throws Exception {
    ExportTraceServiceRequest request = TestTraces.request(1, 1, 30, 200);

    List<TracesData> values = TestTraces.parse(new TracesSplitter(1500).split(TestTraces.scanned(request)));

    assertThat(values).hasSizeGreaterThan(1).allSatisfy(value -> {
      assertThat(value.getResourceSpans(0).getResource())
          .isEqualTo(request.getResourceSpans(0).getResource());
      assertThat(value.getResourceSpans(0).getSchemaUrl()).isEqualTo(request.getResourceSpans(0).getSchemaUrl());
      assertThat(value.getResourceSpans(0).getScopeSpans(0).getScope())
          .isEqualTo(request.getResourceSpans(0).getScopeSpans(0).getScope());
    });
  }

  @Test
  void singleSpanLargerThanTheLimitIsRefusedNotDropped() {
    ExportTraceServiceRequest request = TestTraces.request(1, 1, 3, 5000);

    assertThatThrownBy(() -> new TracesSplitter(2000).split(TestTraces.scanned(request)))
        .isInstanceOf(TracesSplitter.SpanTooLargeException.class)
        .hasMessageContaining("2000");
  }

  @Test
  void countsSpansAcrossResourcesAndScopes() {
    assertThat(TestTraces.scanned(TestTraces.request(3, 2, 5, 0)).spanCount()).isEqualTo(30);
    assertThat(TestTraces.scanned(ExportTraceServiceRequest.getDefaultInstance()).spanCount()).isZero();
  }
}
