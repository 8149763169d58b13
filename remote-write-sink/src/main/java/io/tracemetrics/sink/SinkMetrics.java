package io.tracemetrics.sink;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The sink's self-metrics for one endpoint, under {@code remoteWrite.endpoint.<name>} of the writer's
 * metric group, plus Flink's standard sink counters ({@code numRecordsSend} counts series,
 * {@code numBytesSend} compressed bytes, {@code numRecordsSendErrors} dropped series).
 */
final class SinkMetrics {
  /** Why samples were dropped; the value of the {@code reason} metric variable. */
  enum DropReason {
    /** The receiver refused the series: a sample older than one it already has. */
    OUT_OF_ORDER,
    /** The receiver refused the series: a sample at a stored timestamp with another value. */
    DUPLICATE_TIMESTAMP,
    /** The receiver refused the series: a sample older than it accepts at all. */
    TOO_OLD,
    /** The receiver refused the series alone as too large (413). */
    TOO_LARGE,
    /** The receiver refused the series (400, 409, 422) for a reason its message does not name. */
    REJECTED,
    /** Never sent: the split of a rejected batch reached {@code maxSplitRequests}. */
    SPLIT_LIMIT,
    /** Retryable failures lasted longer than the maximum retry time. */
    RETRIES_EXHAUSTED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final int LATENCY_WINDOW = 512;

  private final SinkWriterMetricGroup writerGroup;
  private final MetricGroup group;
  private final Counter samplesOut;
  private final Counter seriesOut;
  private final Counter requestsOut;
  private final Counter retries;
  private final Counter splitRequests;
  private final Map<Integer, Counter> misconfiguredResponses = new ConcurrentHashMap<>();
  private final Counter bytesUncompressed;
  private final Counter bytesCompressed;
  private final Histogram requestLatencyMs;
  private final Map<DropReason, Counter> samplesDropped = new EnumMap<>(DropReason.class);
  private volatile long lastLatencyMs;

  SinkMetrics(SinkWriterMetricGroup writerGroup, String endpointName) {
    this.writerGroup = writerGroup;
    group = writerGroup.addGroup("remoteWrite").addGroup("endpoint", endpointName);
    samplesOut = group.counter("samplesOut", new SimpleCounter());
    seriesOut = group.counter("seriesOut", new SimpleCounter());
    requestsOut = group.counter("requestsOut", new SimpleCounter());
    retries = group.counter("retries", new SimpleCounter());
    splitRequests = group.counter("splitRequests", new SimpleCounter());
    bytesUncompressed = group.counter("bytesUncompressed", new SimpleCounter());
    bytesCompressed = group.counter("bytesCompressed", new SimpleCounter());
    requestLatencyMs = group.histogram("requestLatencyMs",
        new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
    group.gauge("lastRequestLatencyMs", () -> lastLatencyMs);
    for (DropReason reason : DropReason.values()) {
      samplesDropped.put(reason, group.addGroup("reason", reason.label())
          .counter("samplesDropped", new SimpleCounter()));
    }
  }

  /**
   * Flink's standard {@code currentSendTime} gauge, once per writer (a second registration would collide
   * and be ignored with a warning): the last request latency of the slowest endpoint.
   */
  static void registerCurrentSendTime(SinkWriterMetricGroup writerGroup,
      List<SinkMetrics> endpoints) {
    List<SinkMetrics> all = List.copyOf(endpoints);
    writerGroup.setCurrentSendTimeGauge(
        () -> all.stream().mapToLong(m -> m.lastLatencyMs).max().orElse(0L));
  }

  /** The {@code queuedBatches} gauge: batches waiting for this endpoint or being sent to it. */
  void registerQueuedBatches(IntSupplier queuedBatches) {
    group.gauge("queuedBatches", queuedBatches::getAsInt);
  }

  /** One HTTP request was answered or failed after {@code latencyMs}. */
  void requestCompleted(long latencyMs) {
    requestsOut.inc();
    lastLatencyMs = latencyMs;
    requestLatencyMs.update(latencyMs);
  }

  void retried() {
    retries.inc();
  }

  /** One more request to isolate the series a receiver refused in a rejected batch. */
  void splitRequest() {
    splitRequests.inc();
  }

  /**
   * The endpoint answered with a status that means misconfiguration; counted under
   * {@code status.<code>.misconfiguredResponses}, registered at the first answer with that status.
   */
  void misconfigured(int status) {
    misconfiguredResponses.computeIfAbsent(status, s -> group.addGroup("status", Integer.toString(s))
        .counter("misconfiguredResponses", new SimpleCounter())).inc();
  }

  void delivered(int series, int samples, int uncompressed, int compressed) {
    seriesOut.inc(series);
    samplesOut.inc(samples);
    bytesUncompressed.inc(uncompressed);
    bytesCompressed.inc(compressed);
    writerGroup.getNumRecordsSendCounter().inc(series);
    writerGroup.getNumBytesSendCounter().inc(compressed);
  }

  void dropped(DropReason reason, int series, int samples) {
    samplesDropped.get(reason).inc(samples);
    writerGroup.getNumRecordsSendErrorsCounter().inc(series);
  }

  long samplesOut() {
    return samplesOut.getCount();
  }

  long seriesOut() {
    return seriesOut.getCount();
  }

  long requestsOut() {
    return requestsOut.getCount();
  }

  long retries() {
    return retries.getCount();
  }

  long bytesUncompressed() {
    return bytesUncompressed.getCount();
  }

  long bytesCompressed() {
    return bytesCompressed.getCount();
  }

  long splitRequests() {
    return splitRequests.getCount();
  }

  long misconfiguredResponses(int status) {
    Counter counter = misconfiguredResponses.get(status);
    return counter == null ? 0 : counter.getCount();
  }

  long samplesDropped(DropReason reason) {
    return samplesDropped.get(reason).getCount();
  }

  long requestLatencyCount() {
    return requestLatencyMs.getCount();
  }
}
