package io.tracemetrics.gateway.ingest;

import com.google.protobuf.CodedOutputStream;
import io.tracemetrics.gateway.ingest.ScannedTraces.ResourceSlice;
import io.tracemetrics.gateway.ingest.ScannedTraces.ScopeSlice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a scanned request into {@code TracesData} values no larger than a byte budget, at ResourceSpans
 * boundaries first, then ScopeSpans, then single spans; every fragment keeps its resource and scope
 * (and every other field beside them, unknown ones included); ResourceSpans and ScopeSpans without
 * spans are left out of a split request. Works on the byte ranges the scanner
 * recorded: parts that fit are copied, only the enclosing ResourceSpans/ScopeSpans of a cut are
 * re-framed. Spans are never dropped: a single span that alone exceeds the budget is reported as
 * {@link SpanTooLargeException} so the request is refused as a whole.
 */
final class TracesSplitter {
  /** Tag byte plus the longest length varint of a size-limited embedded message. */
  private static final int FRAME_BYTES = 1 + 5;
  private static final int RESOURCE_SPANS = 1;
  private static final int SCOPE_SPANS = 2;

  private final int maxBytes;

  TracesSplitter(int maxBytes) {
    if (maxBytes < 64) {
      throw new IllegalArgumentException("budget too small: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** Thrown when one span on its own (with its resource and scope) does not fit in a value. */
  static final class SpanTooLargeException extends Exception {
    SpanTooLargeException(long bytes, int maxBytes) {
      super("a single span needs " + bytes + " bytes with its resource and scope; the limit is " + maxBytes);
    }
  }

  /** Values of the request; exactly one, the body itself, when it already fits. */
  List<byte[]> split(ScannedTraces traces) throws SpanTooLargeException {
    if (traces.size() <= maxBytes) {
      return List.of(traces.bytes());
    }
    Ranges header = traces.header();
    long budget = (long) maxBytes - header.bytes();
    List<Piece> fragments = new ArrayList<>();
    for (ResourceSlice resource : traces.resources()) {
      if (!resource.hasSpans()) {
        continue;   // nothing a consumer could count; not worth a record of its own
      }
      if (resource.size() <= budget) {
        fragments.add(new Piece.Copied(resource.start(), resource.end()));
      } else {
        fragments.addAll(splitResource(resource, budget));
      }
    }
    List<byte[]> values = new ArrayList<>();
    for (List<Piece> record : pack(fragments, budget)) {
      values.add(encode(traces.bytes(), header, record));
    }
    return values;
  }

  private List<Piece> splitResource(ResourceSlice resource, long budget) throws SpanTooLargeException {
    long scopeBudget = budget - FRAME_BYTES - resource.header().bytes();
    List<Piece> pieces = new ArrayList<>();
    for (ScopeSlice scope : resource.scopes()) {
      if (scope.spans().count() == 0) {
        continue;
      }
      if (scope.size() <= scopeBudget) {
        pieces.add(new Piece.Copied(scope.start(), scope.end()));
      } else {
        pieces.addAll(splitScope(scope, scopeBudget));
      }
    }
    return rebuild(RESOURCE_SPANS, resource.header(), pack(pieces, scopeBudget));
  }

  private List<Piece> splitScope(ScopeSlice scope, long budget) throws SpanTooLargeException {
    long spanBudget = budget - FRAME_BYTES - scope.header().bytes();
    Ranges spans = scope.spans();
    List<Piece> pieces = new ArrayList<>(spans.count());
    for (int i = 0; i < spans.count(); i++) {
      if (spans.length(i) > spanBudget) {
        throw new SpanTooLargeException(spans.length(i) + maxBytes - spanBudget, maxBytes);
      }
      pieces.add(new Piece.Copied(spans.start(i), spans.end(i)));
    }
    return rebuild(SCOPE_SPANS, scope.header(), pack(pieces, spanBudget));
  }

  /** Greedy grouping of pieces, each of which fits alone, in their original order. */
  private static List<List<Piece>> pack(List<Piece> pieces, long budget) {
    List<List<Piece>> groups = new ArrayList<>();
    List<Piece> current = new ArrayList<>();
    long currentBytes = 0;
    for (Piece piece : pieces) {
      if (currentBytes + piece.size() > budget && !current.isEmpty()) {
        groups.add(current);
        current = new ArrayList<>();
        currentBytes = 0;
      }
      current.add(piece);
      currentBytes += piece.size();
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    return groups;
  }

  private static List<Piece> rebuild(int field, Ranges header, List<List<Piece>> groups) {
    List<Piece> rebuilt = new ArrayList<>(groups.size());
    for (List<Piece> group : groups) {
      rebuilt.add(new Piece.Rebuilt(field, header, group));
    }
    return rebuilt;
  }

  private static byte[] encode(byte[] body, Ranges header, List<Piece> pieces) {
    int size = header.bytes();
    for (Piece piece : pieces) {
      size += piece.size();
    }
    byte[] value = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(value);
    try {
      Piece.writeHeader(body, header, out);
      for (Piece piece : pieces) {
        piece.writeTo(body, out);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("record size miscounted", e);
    }
    return value;
  }
}
