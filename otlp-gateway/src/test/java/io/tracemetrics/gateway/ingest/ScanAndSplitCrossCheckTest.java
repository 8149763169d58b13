package io.tracemetrics.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random valid requests (fixed seed) built with the generated classes, unknown fields included: the
 * scanner counts what the parser counts, and split records parse back to exactly the original spans, in
 * order, each with its resource and scope (and their unknown fields).
 */
class ScanAndSplitCrossCheckTest {
  private static final String[] NAMES = {"GET /", "db.query", "résumé", "☕ brew", "😀", ""};

  @Test
  void scannerAndSplitterAgreeWithTheGeneratedClasses() throws Exception {
    SplittableRandom random = new SplittableRandom(20240611);
    int split = 0;
    int tooLarge = 0;
    for (int n = 0; n < 400; n++) {
      ExportTraceServiceRequest request = request(random);
      byte[] body = request.toByteArray();
      ScannedTraces scanned = TracesScanner.scan(body);
      assertThat(scanned.spanCount()).isEqualTo(spanCount(request));

      int limit = random.nextInt(300, Math.max(301, body.length + 200));
      List<byte[]> records;
      try {
        records = new TracesSplitter(limit).split(scanned);
      } catch (TracesSplitter.SpanTooLargeException e) {
        tooLarge++;
        assertThat(largestSpan(request)).isGreaterThan(limit / 2);
        continue;
      }
      if (body.length <= limit) {
        assertThat(records).containsExactly(body);
        continue;
      }
      split++;
      List<TestTraces.SpanInContext> spans = new ArrayList<>();
      for (byte[] record : records) {
        assertThat(record.length).isLessThanOrEqualTo(limit);
        assertThat(TracesScanner.scan(record).spanCount()).isPositive();
        spans.addAll(TestTraces.spansInContext(TracesData.parseFrom(record)));
      }
      assertThat(spans).containsExactlyElementsOf(TestTraces.spansInContext(request));
    }
    assertThat(split).as("requests split").isGreaterThan(100);
    assertThat(tooLarge).as("requests with a span over the limit").isPositive();
  }

  private static ExportTraceServiceRequest request(SplittableRandom random) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (int r = random.nextInt(5); r > 0; r--) {
      ResourceSpans.Builder resource = ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(string("service.name", "svc-" + random.nextInt(9)))
              .addAttributes(attribute(random, 0)));
      if (random.nextBoolean()) {
        resource.setSchemaUrl("https://opentelemetry.io/schemas/1." + random.nextInt(30) + ".0");
      }
      for (int s = random.nextInt(4); s > 0; s--) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("scope-" + s).setVersion("1." + s));
        for (int p = random.nextInt(40); p > 0; p--) {
          scope.addSpans(span(random));
        }
        resource.addScopeSpans(scope.setUnknownFields(unknown(random)));
      }
      request.addResourceSpans(resource.setUnknownFields(unknown(random)));
    }
    return request.setUnknownFields(unknown(random)).build();
  }

  private static Span span(SplittableRandom random) {
    ByteString traceId = TestTraces.randomBytes(random, 16);
    Span.Builder span = Span.newBuilder()
        .setTraceId(traceId)
        .setSpanId(TestTraces.randomBytes(random, 8))
        .setName(NAMES[random.nextInt(NAMES.length)])
        .setKind(Span.SpanKind.forNumber(random.nextInt(6)))
        .setStartTimeUnixNano(random.nextLong(1L << 62))
        .setEndTimeUnixNano(random.nextLong(1L << 62))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.forNumber(random.nextInt(3))));
    for (int a = random.nextInt(8); a > 0; a--) {
      span.addAttributes(attribute(random, 0));
    }
    if (random.nextInt(4) == 0) {
      span.addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(random.nextLong())
          .addAttributes(string("exception.message", "x".repeat(random.nextInt(400)))));
    }
    if (random.nextInt(4) == 0) {
      span.addLinks(Span.Link.newBuilder().setTraceId(traceId).setFlags(random.nextInt()));
    }
    return span.setUnknownFields(unknown(random)).build();
  }

  private static KeyValue attribute(SplittableRandom random, int depth) {
    AnyValue.Builder value = AnyValue.newBuilder();
    switch (random.nextInt(depth < 3 ? 7 : 5)) {
      case 0 -> value.setStringValue("v".repeat(random.nextInt(60)) + "é");
      case 1 -> value.setIntValue(random.nextLong() >> random.nextInt(64));
      case 2 -> value.setDoubleValue(random.nextDouble());
      case 3 -> value.setBoolValue(random.nextBoolean());
      case 4 -> value.setBytesValue(ByteString.copyFrom(new byte[random.nextInt(20)]));
      case 5 -> value.setArrayValue(ArrayValue.newBuilder().addValues(attribute(random, depth + 1).getValue()));
      default -> value.setKvlistValue(KeyValueList.newBuilder().addValues(attribute(random, depth + 1)));
    }
    return KeyValue.newBuilder().setKey("attr." + random.nextInt(100)).setValue(value).build();
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /** Fields a newer schema might add (numbers unused and not reserved at every level), or none. */
  private static UnknownFieldSet unknown(SplittableRandom random) {
    if (random.nextInt(3) != 0) {
      return UnknownFieldSet.getDefaultInstance();
    }
    return UnknownFieldSet.newBuilder()
        .addField(50 + random.nextInt(10), UnknownFieldSet.Field.newBuilder()
            .addVarint(random.nextLong())
            .addFixed32(random.nextInt())
            .addLengthDelimited(ByteString.copyFromUtf8("future-" + random.nextInt(1000)))
            .build())
        .build();
  }

  private static long spanCount(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream())
        .mapToLong(ScopeSpans::getSpansCount)
        .sum();
  }

  private static int largestSpan(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(s -> s.getSpansList().stream())
        .mapToInt(Span::getSerializedSize)
        .max().orElse(0);
  }
}
