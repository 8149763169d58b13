package io.tracemetrics.gateway.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracemetrics.gateway.ingest.ScannedTraces.ResourceSlice;
import io.tracemetrics.gateway.ingest.ScannedTraces.ScopeSlice;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a protobuf {@code ExportTraceServiceRequest} without building it, counts its spans and
 * records where its ResourceSpans, ScopeSpans and spans lie, so that a valid body is forwarded as is and
 * a large one is cut without parsing it again. It accepts only what a consumer's generated parser
 * accepts (every level: framing, UTF-8 strings, nesting depth), and it is stricter in two ways: a
 * known field with the wrong wire type and a reserved field number are refused, where a parser would
 * keep them as unknown fields, silently losing the data.
 */
public final class TracesScanner {
  private static final WireSchema REQUEST = WireSchema.of(ExportTraceServiceRequest.getDescriptor());
  private static final int RESOURCE_SPANS = 1;
  private static final int SCOPE_SPANS = 2;
  private static final int SPANS = 2;
  private static final WireSchema RESOURCE_SPANS_SCHEMA = REQUEST.child(RESOURCE_SPANS);
  private static final WireSchema SCOPE_SPANS_SCHEMA = RESOURCE_SPANS_SCHEMA.child(SCOPE_SPANS);
  private static final WireSchema SPAN_SCHEMA = SCOPE_SPANS_SCHEMA.child(SPANS);
  private static final int RESOURCE_SPANS_TAG = WireReader.tag(RESOURCE_SPANS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int SCOPE_SPANS_TAG = WireReader.tag(SCOPE_SPANS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int SPANS_TAG = WireReader.tag(SPANS, WireFormat.WIRETYPE_LENGTH_DELIMITED);

  static {
    SpanFields.checkAgainst(SPAN_SCHEMA);
  }

  private final WireReader reader;
  /** The fast path for spans, or null: tests compare with the generic reader alone. */
  private final SpanFields spanFields;
  private long spans;
  // Indexes of the ResourceSpans, ScopeSpans and span being read (-1: none), for error messages.
  private int resource = -1;
  private int scope = -1;
  private int span = -1;

  private TracesScanner(byte[] body, boolean fastPath) {
    this.reader = new WireReader(body);
    this.spanFields = fastPath ? new SpanFields(body) : null;
  }

  /**
   * @throws InvalidProtocolBufferException when the body is not a well-formed request; the message says
   *     what is wrong and where (e.g. {@code resource_spans[0].scope_spans[1].spans[7]}, byte offset)
   */
  public static ScannedTraces scan(byte[] body) throws InvalidProtocolBufferException {
    return scan(body, true);
  }

  /** {@link #scan(byte[])}, with spans checked by the generic reader alone when {@code fastPath} is false. */
  static ScannedTraces scan(byte[] body, boolean fastPath) throws InvalidProtocolBufferException {
    TracesScanner scanner = new TracesScanner(body, fastPath);
    try {
      return scanner.request(body);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidProtocolBufferException(e.getMessage() + " (at " + scanner.where() + ")");
    }
  }

  private ScannedTraces request(byte[] body) throws InvalidProtocolBufferException {
    Ranges header = new Ranges();
    List<ResourceSlice> resources = new ArrayList<>();
    while (true) {
      int start = reader.position();
      int tag = reader.readTag(body.length);
      if (tag == 0) {
        return new ScannedTraces(body, spans, header, resources);
      }
      if (tag == RESOURCE_SPANS_TAG) {
        resource = resources.size();
        resources.add(resourceSpans(start, reader.enter(body.length, 1)));
        resource = -1;
      } else {
        reader.field(tag, REQUEST, body.length, 0);
        header.add(start, reader.position());
      }
    }
  }

  private ResourceSlice resourceSpans(int fieldStart, int end) throws InvalidProtocolBufferException {
    Ranges header = new Ranges();
    List<ScopeSlice> scopes = new ArrayList<>(2);
    while (true) {
      int start = reader.position();
      int tag = reader.readTag(end);
      if (tag == 0) {
        return new ResourceSlice(fieldStart, end, header, scopes);
      }
      if (tag == SCOPE_SPANS_TAG) {
        scope = scopes.size();
        scopes.add(scopeSpans(start, reader.enter(end, 2)));
        scope = -1;
      } else {
        reader.field(tag, RESOURCE_SPANS_SCHEMA, end, 1);
        header.add(start, reader.position());
      }
    }
  }

  private ScopeSlice scopeSpans(int fieldStart, int end) throws InvalidProtocolBufferException {
    Ranges header = new Ranges();
    Ranges spanRanges = new Ranges();
    while (true) {
      int start = reader.position();
      int tag = reader.readTag(end);
      if (tag == 0) {
        return new ScopeSlice(fieldStart, end, header, spanRanges);
      }
      if (tag == SPANS_TAG) {
        span = spanRanges.count();
        int spanEnd = reader.enter(end, 3);
        span(spanEnd);
        spanRanges.add(start, spanEnd);
        span = -1;
        spans++;
      } else {
        reader.field(tag, SCOPE_SPANS_SCHEMA, end, 2);
        header.add(start, reader.position());
      }
    }
  }

  /**
   * Checks the fields of a span ending at {@code end}: {@link SpanFields} first, the generic reader for
   * the fields it leaves.
   */
  private void span(int end) throws InvalidProtocolBufferException {
    if (spanFields == null) {
      reader.message(SPAN_SCHEMA, end, 3);
      return;
    }
    for (int p = spanFields.fields(reader.position(), end); p < end; p = spanFields.fields(reader.position(), end)) {
      reader.seek(p);
      reader.field(reader.readTag(end), SPAN_SCHEMA, end, 3);
    }
    reader.seek(end);
  }

  /** Where the scan stopped, for error messages. */
  private String where() {
    StringBuilder where = new StringBuilder();
    if (resource >= 0) {
      where.append("resource_spans[").append(resource).append(']');
      if (scope >= 0) {
        where.append(".scope_spans[").append(scope).append(']');
        if (span >= 0) {
          where.append(".spans[").append(span).append(']');
        }
      }
      where.append(", ");
    }
    return where.append("byte ").append(reader.position()).toString();
  }
}
