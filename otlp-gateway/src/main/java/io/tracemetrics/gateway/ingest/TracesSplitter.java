package io.tracemetrics.gateway.ingest;

import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a request into {@code TracesData} values no larger than a byte budget, at ResourceSpans
 * boundaries first, then ScopeSpans, then single spans; every fragment keeps its resource and scope.
 * Spans are never dropped: a single span that alone exceeds the budget is reported as
 * {@link SpanTooLargeException} so the request is refused as a whole.
 */
public final class TracesSplitter {
  /** Tag byte plus the longest length varint of a size-limited embedded message. */
  private static final int FRAME_BYTES = 1 + 5;

  private final int maxBytes;

  public TracesSplitter(int maxBytes) {
    if (maxBytes < 64) {
      throw new IllegalArgumentException("budget too small: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** Thrown when one span on its own (with its resource and scope) does not fit in a value. */
  public static final class SpanTooLargeException extends Exception {
    SpanTooLargeException(int bytes, int maxBytes) {
      super("a single span needs " + bytes + " bytes with its resource and scope; the limit is " + maxBytes);
    }
  }

  /** Values of the request; exactly one (the request itself) when it already fits. */
  public List<TracesData> split(ExportTraceServiceRequest request) throws SpanTooLargeException {
    if (request.getSerializedSize() <= maxBytes) {
      return List.of(TracesData.newBuilder().addAllResourceSpans(request.getResourceSpansList()).build());
    }
    List<ResourceSpans> fragments = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      if (framed(resourceSpans.getSerializedSize()) <= maxBytes) {
        fragments.add(resourceSpans);
      } else {
        fragments.addAll(splitResource(resourceSpans));
      }
    }
    return pack(fragments);
  }

  /** Greedy packing of fragments, each of which fits alone, in their original order. */
  private List<TracesData> pack(List<ResourceSpans> fragments) {
    List<TracesData> values = new ArrayList<>();
    TracesData.Builder current = TracesData.newBuilder();
    long currentBytes = 0;
    for (ResourceSpans fragment : fragments) {
      long bytes = framed(fragment.getSerializedSize());
      if (currentBytes + bytes > maxBytes && current.getResourceSpansCount() > 0) {
        values.add(current.build());
        current = TracesData.newBuilder();
        currentBytes = 0;
      }
      current.addResourceSpans(fragment);
      currentBytes += bytes;
    }
    if (current.getResourceSpansCount() > 0) {
      values.add(current.build());
    }
    return values;
  }

  private List<ResourceSpans> splitResource(ResourceSpans resourceSpans) throws SpanTooLargeException {
    ResourceSpans shell = resourceSpans.toBuilder().clearScopeSpans().build();
    long budget = maxBytes - FRAME_BYTES - shell.getSerializedSize();
    List<ResourceSpans> fragments = new ArrayList<>();
    ResourceSpans.Builder current = shell.toBuilder();
    long currentBytes = 0;
    for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
      List<ScopeSpans> pieces = framed(scopeSpans.getSerializedSize()) <= budget
          ? List.of(scopeSpans)
          : splitScope(scopeSpans, budget);
      for (ScopeSpans piece : pieces) {
        long bytes = framed(piece.getSerializedSize());
        if (currentBytes + bytes > budget && current.getScopeSpansCount() > 0) {
          fragments.add(current.build());
          current = shell.toBuilder();
          currentBytes = 0;
        }
        current.addScopeSpans(piece);
        currentBytes += bytes;
      }
    }
    if (current.getScopeSpansCount() > 0) {
      fragments.add(current.build());
    }
    return fragments;
  }

  private List<ScopeSpans> splitScope(ScopeSpans scopeSpans, long resourceBudget)
      throws SpanTooLargeException {
    ScopeSpans shell = scopeSpans.toBuilder().clearSpans().build();
    long budget = resourceBudget - FRAME_BYTES - shell.getSerializedSize();
    List<ScopeSpans> pieces = new ArrayList<>();
    ScopeSpans.Builder current = shell.toBuilder();
    long currentBytes = 0;
    for (Span span : scopeSpans.getSpansList()) {
      long bytes = framed(span.getSerializedSize());
      if (bytes > budget) {
        throw new SpanTooLargeException((int) (bytes + maxBytes - budget), maxBytes);
      }
      if (currentBytes + bytes > budget && current.getSpansCount() > 0) {
        pieces.add(current.build());
        current = shell.toBuilder();
        currentBytes = 0;
      }
      current.addSpans(span);
      currentBytes += bytes;
    }
    if (current.getSpansCount() > 0) {
      pieces.add(current.build());
    }
    return pieces;
  }

  /** Size of an embedded message field: tag, length varint, payload. */
  static long framed(int payloadBytes) {
    return 1L + CodedOutputStream.computeUInt32SizeNoTag(payloadBytes) + payloadBytes;
  }

  /** Number of spans in a request. */
  public static long countSpans(ExportTraceServiceRequest request) {
    long spans = 0;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        spans += scopeSpans.getSpansCount();
      }
    }
    return spans;
  }
}
