package io.tracemetrics.job.red;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracemetrics.job.otlp.SpanEvent;

/**
 * What a span's identity becomes before it is keyed, so that identity in state is exactly the label set
 * written: two series the job keeps apart never share a label set in the store, and two spans with the same
 * label set always add to one series.
 *
 * <ul>
 *   <li>A span kind or status code that OTLP does not define (proto3 enums are open: a sender may write 9)
 *       is written as {@code SPAN_KIND_UNSPECIFIED} / {@code STATUS_CODE_UNSET}, so it is counted as that.
 *   <li>A value longer than {@link #MAX_LENGTH} characters is cut and ends in {@code ~} and a hash of the
 *       whole value: VictoriaMetrics truncates label values at 16 KiB ({@code -maxLabelValueLen}), which
 *       would merge two long names that differ only after the cut. 4,096 characters stay below 16 KiB in
 *       UTF-8 whatever the characters.
 *   <li>Empty and absent values are one identity already: the decoder gives an absent region or dimension
 *       as the empty string, and an empty label is no label in Prometheus.
 * </ul>
 */
final class LabelValues {
  /** Longest label value written, in UTF-16 chars. */
  static final int MAX_LENGTH = 4096;
  private static final int HASH_CHARS = 16;

  private LabelValues() {}

  /** The span kind a series is counted under: OTLP's number, unknown ones as unspecified (0). */
  static int spanKind(int kind) {
    if (kind == SpanEvent.EXCLUDED) {
      return kind;
    }
    Span.SpanKind known = Span.SpanKind.forNumber(kind);
    return known != null ? kind : Span.SpanKind.SPAN_KIND_UNSPECIFIED_VALUE;
  }

  /** The status code a series is counted under: OTLP's number, unknown ones as unset (0). */
  static int statusCode(int code) {
    if (code == SpanEvent.EXCLUDED) {
      return code;
    }
    Status.StatusCode known = Status.StatusCode.forNumber(code);
    return known != null ? code : Status.StatusCode.STATUS_CODE_UNSET_VALUE;
  }

  static String spanKindName(int kind) {
    return Span.SpanKind.forNumber(spanKind(kind)).name();
  }

  static String statusCodeName(int code) {
    return Status.StatusCode.forNumber(statusCode(code)).name();
  }

  /** The value itself, or, when longer than {@link #MAX_LENGTH}, its start, {@code ~} and a hash of it all. */
  static String bounded(String value) {
    if (value.length() <= MAX_LENGTH) {
      return value;
    }
    int keep = MAX_LENGTH - HASH_CHARS - 1;
    if (Character.isHighSurrogate(value.charAt(keep - 1))) {
      keep--; // never cut a character in two: the rest would not be valid UTF-8
    }
    return value.substring(0, keep) + '~' + String.format("%016x", fnv1a(value));
  }

  /** 64-bit FNV-1a over the UTF-16 chars: stable across JVMs, as the written value must be. */
  private static long fnv1a(String value) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      hash = (hash ^ (c & 0xff)) * 0x100000001b3L;
      hash = (hash ^ (c >>> 8)) * 0x100000001b3L;
    }
    return hash;
  }
}
