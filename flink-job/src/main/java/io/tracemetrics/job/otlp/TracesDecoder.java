package io.tracemetrics.job.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns a Kafka record value, OTLP {@code TracesData} as protobuf ({@code otlp_proto}) or as OTLP JSON
 * ({@code otlp_json}), into {@link SpanEvent}s. The format is told by the first byte: a protobuf
 * {@code TracesData} starts with field 1 (0x0A), JSON with '{' after optional white space. Protobuf is
 * read straight off the wire ({@link WireTracesDecoder}: only the fields the metrics need, no messages
 * built); JSON through the generated classes.
 */
public final class TracesDecoder implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  public static final String UNKNOWN_SERVICE = "unknown_service";
  static final String SERVICE_NAME = "service.name";
  static final String CLOUD_REGION = "cloud.region";

  private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

  /** Why a record or a span was not counted. */
  public enum Rejection {
    /** Not protobuf TracesData nor OTLP JSON. */
    UNDECODABLE,
    /** A span whose end is before its start, or whose times are zero. */
    INVALID_TIMES,
    /** A span that ended before 2000 or more than a day ahead of this machine's clock. */
    ABSURD_TIME
  }

  /** 2000-01-01T00:00:00Z: no span ends before it. */
  static final long EARLIEST_END_MILLIS = 946_684_800_000L;
  static final long MAX_AHEAD_MILLIS = 86_400_000L;

  /** Receives spans and the spans that were skipped, with the reason. */
  public interface Sink extends Consumer<SpanEvent> {
    void rejected(Rejection reason, int count);
  }

  private final Dimensions dimensions;
  private final boolean excludeSpanKind;
  private final boolean excludeStatusCode;
  private final WireTracesDecoder wire;

  /**
   * @param dimensions the extra labels to take from attributes
   * @param excludeSpanKind drop the span_kind label: spans of every kind share a series
   * @param excludeStatusCode drop the status_code label
   */
  public TracesDecoder(Dimensions dimensions, boolean excludeSpanKind, boolean excludeStatusCode) {
    this.dimensions = dimensions;
    this.excludeSpanKind = excludeSpanKind;
    this.excludeStatusCode = excludeStatusCode;
    this.wire = new WireTracesDecoder(dimensions, excludeSpanKind, excludeStatusCode);
  }

  /** A decoder with no extra dimensions and every built-in label. */
  public static TracesDecoder plain() {
    return new TracesDecoder(Dimensions.of(java.util.List.of()), false, false);
  }

  /**
   * Decodes one record value.
   *
   * @param value the Kafka record value
   * @param region the region label for these spans, or null to take the resource's {@code cloud.region}
   * @param out receives every valid span, and a rejection for every record or span that is not
   */
  public void decode(byte[] value, String region, Sink out) {
    if (looksLikeJson(value)) {
      decodeJson(value, region, out);
      return;
    }
    WireTracesDecoder.Decoded decoded;
    try {
      decoded = wire.decode(value, region);
    } catch (WireReader.Malformed e) {
      out.rejected(Rejection.UNDECODABLE, 1);
      return;
    }
    for (SpanEvent span : decoded.spans) {
      out.accept(span);
    }
    if (decoded.invalidTimes > 0) {
      out.rejected(Rejection.INVALID_TIMES, decoded.invalidTimes);
    }
    if (decoded.absurdTimes > 0) {
      out.rejected(Rejection.ABSURD_TIME, decoded.absurdTimes);
    }
  }

  /** OTLP JSON is rare on the wire (the gateway writes protobuf), so it takes the generated classes. */
  private void decodeJson(byte[] value, String region, Sink out) {
    TracesData traces;
    try {
      traces = parse(value);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      out.rejected(Rejection.UNDECODABLE, 1);
      return;
    }
    decodeMessages(traces, region, out);
  }

  /** The generated-class path: what the wire decoder must match span for span. */
  void decodeMessages(TracesData traces, String region, Sink out) {
    for (ResourceSpans resourceSpans : traces.getResourceSpansList()) {
      Resource resource = resourceSpans.getResource();
      String service = stringAttribute(resource, SERVICE_NAME, UNKNOWN_SERVICE);
      String spanRegion = region != null ? region : stringAttribute(resource, CLOUD_REGION, "");
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          long start = span.getStartTimeUnixNano();
          long end = span.getEndTimeUnixNano();
          if (end <= 0 || start <= 0 || end < start) {
            out.rejected(Rejection.INVALID_TIMES, 1);
            continue;
          }
          long endMillis = end / 1_000_000L;
          if (endMillis < EARLIEST_END_MILLIS || endMillis > System.currentTimeMillis() + MAX_AHEAD_MILLIS) {
            out.rejected(Rejection.ABSURD_TIME, 1);
            continue;
          }
          out.accept(
              new SpanEvent(
                  service,
                  span.getName(),
                  excludeSpanKind ? SpanEvent.EXCLUDED : span.getKindValue(),
                  excludeStatusCode ? SpanEvent.EXCLUDED : span.getStatus().getCodeValue(),
                  endMillis,
                  end - start,
                  spanRegion,
                  dimensions.extract(span.getAttributesList(), resource.getAttributesList())));
        }
      }
    }
  }

  static TracesData parse(byte[] value) throws InvalidProtocolBufferException {
    if (looksLikeJson(value)) {
      TracesData.Builder builder = TracesData.newBuilder();
      JSON.merge(new String(value, StandardCharsets.UTF_8), builder);
      return builder.build();
    }
    return TracesData.parseFrom(value);
  }

  private static boolean looksLikeJson(byte[] value) {
    for (byte b : value) {
      if (b == '{') {
        return true;
      }
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return false;
  }

  private static String stringAttribute(Resource resource, String key, String fallback) {
    for (KeyValue attribute : resource.getAttributesList()) {
      if (attribute.getKey().equals(key)) {
        AnyValue value = attribute.getValue();
        if (value.hasStringValue() && !value.getStringValue().isEmpty()) {
          return value.getStringValue();
        }
      }
    }
    return fallback;
  }
}
