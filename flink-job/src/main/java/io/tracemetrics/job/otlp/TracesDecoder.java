package io.tracemetrics.job.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.function.Consumer;

/**
 * Turns a Kafka record value, OTLP {@code TracesData} as protobuf ({@code otlp_proto}) or as OTLP JSON
 * ({@code otlp_json}), into {@link SpanEvent}s. Protobuf is read straight off the wire
 * ({@link WireTracesDecoder}: only the fields the metrics need, no messages built); JSON through the
 * generated classes ({@link JsonTracesDecoder}).
 *
 * <p>The format is told by the first bytes: JSON starts with '{' after optional white space. A
 * protobuf {@code TracesData} starts with 0x0A, which is also a newline, so a record starting with 0x0A
 * is read as protobuf first and as JSON only if it is not protobuf (a ResourceSpans of 123 bytes starts
 * "\n{" too).
 *
 * <p>Every input ends in spans or a {@link Rejection}: work is linear in the record's length, nesting is
 * bounded (protobuf at {@link WireReader#MAX_DEPTH}, JSON at {@link JsonTracesDecoder#MAX_JSON_DEPTH}), and
 * so are records ({@link #MAX_RECORD_BYTES}). A record is passed on whole or not at all.
 */
public final class TracesDecoder implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  public static final String UNKNOWN_SERVICE = "unknown_service";
  static final String SERVICE_NAME = "service.name";
  static final String CLOUD_REGION = "cloud.region";

  /**
   * Records longer than this are refused unread: a producer's default limit is 1 MB and the gateway splits
   * requests below it, so this only stops a record made to cost a task seconds of decoding. (It is also the
   * gateway's default largest request, {@code --max-message-bytes}.)
   */
  public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
  /**
   * Why a record or a span was not counted. The metric is {@code spans.rejected.<name in lower case>}
   * and a dead-lettered record's {@code reason} header is the name: both are a contract.
   */
  public enum Rejection {
    /** Record: no value at all (a Kafka tombstone). */
    TOMBSTONE(true),
    /** Record: zero bytes, or only white space. */
    EMPTY(true),
    /** Record: longer than {@link #MAX_RECORD_BYTES}. */
    TOO_LARGE(true),
    /**
     * Record: not protobuf: truncated, an invalid tag or wire type, a length beyond its message, a group
     * not closed, a varint longer than its type ({@link WireReader}'s limits; text and random bytes end here).
     */
    UNDECODABLE(true),
    /** Record: a string the decoder reads (protobuf) or the whole text (JSON) is not valid UTF-8. */
    INVALID_UTF8(true),
    /** Record: protobuf messages or groups nested deeper than 100 levels, or JSON deeper than 200. */
    TOO_DEEP(true),
    /** Record: starts like JSON but is not JSON, or not the OTLP JSON of TracesData. */
    INVALID_JSON(true),
    /**
     * Record: well formed but not traces: a JSON array (Zipkin v2), no resourceSpans at all, or spans none
     * of which has a start or end time (OTLP metrics or logs read as traces look so).
     */
    NOT_TRACES(true),
    /** Record: its {@code region} header is longer than 256 bytes or not UTF-8. */
    INVALID_REGION_HEADER(true),
    /** Record: decoding failed unexpectedly (a bug, or the stack ran out); the log has the exception. */
    DECODER_FAILURE(true),
    /** Span: its end is before its start, or its times are zero. */
    INVALID_TIMES(false),
    /** Span: it ended before 2000 or more than a day ahead of this machine's clock. */
    ABSURD_TIME(false);

    private final boolean wholeRecord;

    Rejection(boolean wholeRecord) {
      this.wholeRecord = wholeRecord;
    }

    /** Whether the whole record was refused (and is dead-lettered), rather than some of its spans. */
    public boolean wholeRecord() {
      return wholeRecord;
    }

    /** The metric group's name: {@code spans.rejected.<this>.count}. */
    public String metricName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** 2000-01-01T00:00:00Z: no span ends before it. */
  static final long EARLIEST_END_MILLIS = 946_684_800_000L;
  static final long MAX_AHEAD_MILLIS = 86_400_000L;

  /** Receives spans and the spans that were skipped, with the reason. */
  public interface Sink extends Consumer<SpanEvent> {
    void rejected(Rejection reason, int count);

    /** The whole record was refused, for {@code detail}; no span of it was or will be given. */
    default void rejectedRecord(Rejection reason, String detail) {
      rejected(reason, 1);
    }
  }

  private final WireTracesDecoder wire;
  private final JsonTracesDecoder json;

  /**
   * @param dimensions the extra labels to take from attributes
   * @param excludeSpanKind drop the span_kind label: spans of every kind share a series
   * @param excludeStatusCode drop the status_code label
   */
  public TracesDecoder(Dimensions dimensions, boolean excludeSpanKind, boolean excludeStatusCode) {
    this.wire = new WireTracesDecoder(dimensions, excludeSpanKind, excludeStatusCode);
    this.json = new JsonTracesDecoder(dimensions, excludeSpanKind, excludeStatusCode);
  }

  /** A decoder with no extra dimensions and every built-in label. */
  public static TracesDecoder plain() {
    return new TracesDecoder(Dimensions.of(java.util.List.of()), false, false);
  }

  /**
   * Decodes one record value.
   *
   * @param value the Kafka record value; null for a tombstone
   * @param region the region label for these spans, or null to take the resource's {@code cloud.region}
   * @param out receives every valid span, and a rejection for every record or span that is not
   */
  public void decode(byte[] value, String region, Sink out) {
    decode(value, region, out, false);
  }

  /**
   * The same with protobuf parsed by the generated classes ({@code TracesData.parseFrom}): the reference
   * the wire decoder is tested against. Whole-record reasons may differ where protobuf-java's message
   * does not say which fault it found.
   */
  void decodeReference(byte[] value, String region, Sink out) {
    decode(value, region, out, true);
  }

  private void decode(byte[] value, String region, Sink out, boolean reference) {
    if (value == null) {
      out.rejectedRecord(Rejection.TOMBSTONE, "null value");
      return;
    }
    if (value.length > MAX_RECORD_BYTES) {
      out.rejectedRecord(Rejection.TOO_LARGE, value.length + " bytes, more than " + MAX_RECORD_BYTES);
      return;
    }
    int first = firstNonWhitespace(value);
    if (first == value.length) {
      out.rejectedRecord(Rejection.EMPTY, value.length == 0 ? "no bytes" : "only white space");
      return;
    }
    if (value[0] != '\n' && value[first] == '{') {
      json.decode(value, region, out);
      return;
    }
    if (value[0] != '\n' && value[first] == '[') {
      out.rejectedRecord(Rejection.NOT_TRACES, "a JSON array (Zipkin v2 spans?), not OTLP JSON TracesData");
      return;
    }
    if (value[0] == '\n' && value[first] == '{') {
      // "\n{": protobuf with a first ResourceSpans of 123 bytes, or JSON after a newline.
      RecordedSink protobuf = new RecordedSink();
      decodeProtobuf(value, region, protobuf, reference);
      if (protobuf.refusal != null) {
        json.decode(value, region, out);
      } else {
        protobuf.replay(out);
      }
      return;
    }
    decodeProtobuf(value, region, out, reference);
  }

  private void decodeProtobuf(byte[] value, String region, Sink out, boolean reference) {
    if (reference) {
      TracesData traces;
      try {
        traces = TracesData.parseFrom(value);
      } catch (InvalidProtocolBufferException e) {
        out.rejectedRecord(referenceReason(e), detail(e));
        return;
      }
      decodeMessages(traces, region, out);
      return;
    }
    WireTracesDecoder.Decoded decoded;
    try {
      decoded = wire.decode(value, region);
    } catch (WireReader.Malformed e) {
      out.rejectedRecord(e.reason(), e.getMessage());
      return;
    }
    String notTraces = notTraces(decoded.resourceSpans, decoded.spansSeen, decoded.spansWithTime);
    if (notTraces != null) {
      out.rejectedRecord(Rejection.NOT_TRACES, notTraces);
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

  private static Rejection referenceReason(InvalidProtocolBufferException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("levels of nesting")) {
      return Rejection.TOO_DEEP;
    }
    return message.contains("UTF-8") ? Rejection.INVALID_UTF8 : Rejection.UNDECODABLE;
  }

  /**
   * Why a well-formed record is not traces, or null. Real spans always have times; OTLP metrics and logs,
   * read as traces (their first fields share numbers), give "spans" that have none.
   */
  static String notTraces(int resourceSpans, int spans, int spansWithTime) {
    if (resourceSpans == 0) {
      return "no resourceSpans: not OTLP traces";
    }
    if (spans > 0 && spansWithTime == 0) {
      return spans + " span(s), none with a start or end time: OTLP metrics or logs?";
    }
    return null;
  }

  /** The generated-class path ({@link JsonTracesDecoder#decodeMessages}): the reference for the wire decoder. */
  void decodeMessages(TracesData traces, String region, Sink out) {
    json.decodeMessages(traces, region, out);
  }

  /**
   * A span kind or status code as read: OTLP defines no negative number, and -1 would read as
   * {@link SpanEvent#EXCLUDED}, so a negative one counts as 0 (unspecified, unset). Other numbers OTLP does
   * not define are folded where series are keyed, so that they count under the name they are written as.
   */
  static int enumNumber(long value) {
    int number = (int) value; // an enum is an int32 on the wire: protobuf keeps the low 32 bits
    return number < 0 ? 0 : number;
  }

  private static int firstNonWhitespace(byte[] value) {
    int i = 0;
    while (i < value.length && (value[i] == ' ' || value[i] == '\n' || value[i] == '\r' || value[i] == '\t')) {
      i++;
    }
    return i;
  }

  /** An exception's message cut short for a log line or a header. */
  static String detail(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.length() <= 200 ? message : message.substring(0, 200) + "…";
  }

  /** Holds one decoding's outcome until it is known to be the one to pass on. */
  private static final class RecordedSink implements Sink {
    private final java.util.List<SpanEvent> spans = new java.util.ArrayList<>();
    private final java.util.Map<Rejection, Integer> rejections = new java.util.EnumMap<>(Rejection.class);
    private Rejection refusal;
    private String refusalDetail;

    @Override
    public void accept(SpanEvent span) {
      spans.add(span);
    }

    @Override
    public void rejected(Rejection reason, int count) {
      rejections.merge(reason, count, Integer::sum);
    }

    @Override
    public void rejectedRecord(Rejection reason, String detail) {
      refusal = reason;
      refusalDetail = detail;
    }

    void replay(Sink out) {
      spans.forEach(out);
      rejections.forEach(out::rejected);
      if (refusal != null) {
        out.rejectedRecord(refusal, refusalDetail);
      }
    }
  }
}
