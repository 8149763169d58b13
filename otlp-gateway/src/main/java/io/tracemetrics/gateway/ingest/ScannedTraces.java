package io.tracemetrics.gateway.ingest;

import java.util.List;

/**
 * A protobuf {@code ExportTraceServiceRequest} (or {@code TracesData}: same wire format) that
 * {@link TracesScanner} found well-formed, with its span count and the byte ranges the splitter cuts at.
 * Holds the body without copying it; callers must not change it afterwards.
 */
public final class ScannedTraces {
  private final byte[] bytes;
  private final long spanCount;
  private final Ranges header;
  private final List<ResourceSlice> resources;

  ScannedTraces(byte[] bytes, long spanCount, Ranges header, List<ResourceSlice> resources) {
    this.bytes = bytes;
    this.spanCount = spanCount;
    this.header = header;
    this.resources = List.copyOf(resources);
  }

  /** The body as received, forwarded unchanged when it fits in one record. */
  public byte[] bytes() {
    return bytes;
  }

  int size() {
    return bytes.length;
  }

  public long spanCount() {
    return spanCount;
  }

  /** Top-level fields other than {@code resource_spans} (unknown to this schema), kept in every split record. */
  Ranges header() {
    return header;
  }

  List<ResourceSlice> resources() {
    return resources;
  }

  /**
   * One {@code resource_spans} field: its whole extent (tag to end), its other fields (resource,
   * schema_url, unknown ones) and its {@code scope_spans}.
   */
  record ResourceSlice(int start, int end, Ranges header, List<ScopeSlice> scopes) {
    int size() {
      return end - start;
    }

    boolean hasSpans() {
      for (ScopeSlice scope : scopes) {
        if (scope.spans().count() > 0) {
          return true;
        }
      }
      return false;
    }
  }

  /** One {@code scope_spans} field: its whole extent, its other fields (scope, schema_url, ...) and its spans. */
  record ScopeSlice(int start, int end, Ranges header, Ranges spans) {
    int size() {
      return end - start;
    }
  }
}
