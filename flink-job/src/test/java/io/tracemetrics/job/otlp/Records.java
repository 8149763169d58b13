package io.tracemetrics.job.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Record values of every kind the job may meet on its topic, good and bad: for tests and the fuzz seeds. */
final class Records {
  static final long NOW_NANOS = System.currentTimeMillis() * 1_000_000L;

  private Records() {}

  /** A TracesData with every field of every message set, two resources, three spans. */
  static TracesData everyField() {
    Span.Builder span = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8]))
        .setTraceState("k=v").setParentSpanId(ByteString.copyFrom(new byte[8])).setFlags(1)
        .setName("GET /users/{id}").setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(NOW_NANOS - 5_000_000).setEndTimeUnixNano(NOW_NANOS)
        .addAttributes(string("http.route", "/users/{id}"))
        .addAttributes(KeyValue.newBuilder().setKey("http.status_code").setValue(AnyValue.newBuilder().setIntValue(200)))
        .addAttributes(KeyValue.newBuilder().setKey("flag").setValue(AnyValue.newBuilder().setBoolValue(true)))
        .addAttributes(KeyValue.newBuilder().setKey("ratio").setValue(AnyValue.newBuilder().setDoubleValue(0.5)))
        .addAttributes(KeyValue.newBuilder().setKey("tags").setValue(AnyValue.newBuilder().setArrayValue(
            ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("a")))))
        .addAttributes(KeyValue.newBuilder().setKey("map").setValue(AnyValue.newBuilder().setKvlistValue(
            KeyValueList.newBuilder().addValues(string("x", "y")))))
        .addAttributes(KeyValue.newBuilder().setKey("raw").setValue(AnyValue.newBuilder()
            .setBytesValue(ByteString.copyFromUtf8("bytes"))))
        .setDroppedAttributesCount(1)
        .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(NOW_NANOS - 1)
            .addAttributes(string("exception.type", "E")).setDroppedAttributesCount(2))
        .setDroppedEventsCount(3)
        .addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(new byte[16]))
            .setSpanId(ByteString.copyFrom(new byte[8])).setTraceState("a=b").addAttributes(string("l", "1"))
            .setFlags(1).setDroppedAttributesCount(4))
        .setDroppedLinksCount(5)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"));
    return TracesData.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(string("service.name", "checkout"))
                .addAttributes(string("cloud.region", "eu-west-1")).addAttributes(string("service.version", "1.2"))
                .setDroppedAttributesCount(1))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("1").addAttributes(string("s", "t")))
                .addSpans(span)
                .addSpans(span.clone().setName("POST /pay").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK)))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0"))
            .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0"))
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span.clone().setName("no service"))))
        .build();
  }

  static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static byte[] metrics(boolean withData) {
    Metric.Builder metric = Metric.newBuilder().setName("requests").setUnit("1");
    if (withData) {
      metric.setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
          .setTimeUnixNano(NOW_NANOS).setAsInt(3)));
    }
    return MetricsData.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(string("service.name", "checkout")))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(metric)))
        .build().toByteArray();
  }

  static byte[] logs() {
    return LogsData.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(string("service.name", "checkout")))
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder().setTimeUnixNano(NOW_NANOS)
            .setObservedTimeUnixNano(NOW_NANOS).setSeverityText("INFO")
            .setBody(AnyValue.newBuilder().setStringValue("hello")))))
        .build().toByteArray();
  }

  static byte[] zipkinJson() {
    return ("[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"id\":\"eee19b7ec3c1b174\",\"name\":\"get\","
        + "\"timestamp\":1700000000000000,\"duration\":1000,\"localEndpoint\":{\"serviceName\":\"a\"}}]")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Start-group tags of field 1, {@code count} of them: nested groups, never closed. */
  static byte[] nestedGroups(int count) {
    byte[] value = new byte[count];
    Arrays.fill(value, (byte) 0x0B);
    return value;
  }

  /** {@code depth} groups of field 1 nested at the top level, each closed. */
  static byte[] closedGroups(int depth) {
    byte[] value = new byte[depth * 2];
    Arrays.fill(value, 0, depth, (byte) 0x0B);
    Arrays.fill(value, depth, depth * 2, (byte) 0x0C);
    return value;
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
