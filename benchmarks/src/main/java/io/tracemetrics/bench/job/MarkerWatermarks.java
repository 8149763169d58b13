package io.tracemetrics.bench.job;

import io.tracemetrics.job.otlp.SpanEvent;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * The memory benchmark's watermarks: only the marker span moves event time, and at once, so no window
 * fires before every span was counted and none after the harness decided to measure.
 */
final class MarkerWatermarks implements WatermarkGenerator<SpanEvent> {
  @Override
  public void onEvent(SpanEvent span, long timestamp, WatermarkOutput output) {
    if (span.serviceName().equals(SeriesGenerator.MARKER_SERVICE)) {
      output.emitWatermark(new Watermark(timestamp));
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {}
}
