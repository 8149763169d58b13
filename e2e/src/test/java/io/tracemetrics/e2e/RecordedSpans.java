package io.tracemetrics.e2e;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Spans made with the OpenTelemetry Java SDK and collected as they end, so a test exports them itself (with
 * the SDK's own exporters) and sees each answer.
 */
public final class RecordedSpans {
  private RecordedSpans() {}

  /** A tracer of service {@code service} whose ended spans go to {@code ended}. */
  public static Tracer tracer(String service, String scope, List<SpanData> ended) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
            .addSpanProcessor(new SpanProcessor() {
              @Override
              public void onStart(Context parentContext, ReadWriteSpan span) {}

              @Override
              public boolean isStartRequired() {
                return false;
              }

              @Override
              public void onEnd(ReadableSpan span) {
                ended.add(span.toSpanData());
              }

              @Override
              public boolean isEndRequired() {
                return true;
              }
            })
            .build();
    return provider.get(scope);
  }

  /** One span that ended at {@code endNanos} and took {@code nanos}. */
  public static void span(Tracer tracer, String name, SpanKind kind, StatusCode status, long endNanos, long nanos) {
    var span = tracer.spanBuilder(name).setSpanKind(kind)
        .setStartTimestamp(endNanos - nanos, TimeUnit.NANOSECONDS).startSpan();
    span.setStatus(status);
    span.end(endNanos, TimeUnit.NANOSECONDS);
  }
}
