package io.tracemetrics.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tracemetrics.gateway.kafka.InMemoryPublisher;
import io.tracemetrics.gateway.metrics.GatewayMetrics;
import io.tracemetrics.gateway.metrics.MetricsRegistry;
import io.tracemetrics.gateway.metrics.RefusalLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class TraceIngestTest {
  private final InMemoryPublisher publisher = new InMemoryPublisher(4096);
  private final GatewayMetrics metrics = new GatewayMetrics(new MetricsRegistry());
  private final InFlightLimiter limiter = new InFlightLimiter(1 << 20);
  private final TraceIngest ingest = new TraceIngest(publisher, metrics, limiter,
      RefusalLog.everyTenSeconds(), Duration.ofMillis(200));

  @Test
  void forwardsTheEncodedBytesUnchangedWhenTheyFit() throws Exception {
    ExportTraceServiceRequest request = TestTraces.request(2, 1, 3, 10);
    byte[] encoded = request.toByteArray();

    assertThat(outcome(ingest.export("http", TestTraces.scanned(request)))).isEqualTo(Outcome.ACCEPTED);

    assertThat(publisher.values()).containsExactly(encoded);
    assertThat(metrics.spansAccepted("http")).isEqualTo(6);
    assertThat(limiter.inFlightBytes()).isZero();
  }

  @Test
  void splitsLargeRequestsIntoRecordsHoldingEverySpan() throws Exception {
    ExportTraceServiceRequest request = TestTraces.request(3, 2, 20, 100);

    assertThat(outcome(ingest.export("grpc", TestTraces.scanned(request)))).isEqualTo(Outcome.ACCEPTED);

    List<TracesData> values = new ArrayList<>();
    for (byte[] value : publisher.values()) {
      assertThat(value.length).isLessThanOrEqualTo(4096);
      values.add(TracesData.parseFrom(value));
    }
    assertThat(values).hasSizeGreaterThan(3);
    assertThat(TestTraces.spanKeys(values)).containsExactlyElementsOf(TestTraces.spanKeys(request));
  }

  @Test
  void emptyRequestIsAcceptedWithoutARecord() throws Exception {
    assertThat(outcome(ingest.export("http", TestTraces.scanned(ExportTraceServiceRequest.getDefaultInstance()))))
        .isEqualTo(Outcome.ACCEPTED);

    assertThat(publisher.values()).isEmpty();
  }

  @Test
  void publisherFailureIsKafkaUnavailableAndCounted() throws Exception {
    publisher.mode(InMemoryPublisher.Mode.FAIL);

    assertThat(outcome(ingest.export("http", TestTraces.scanned(TestTraces.request(1, 1, 4, 0)))))
        .isEqualTo(Outcome.KAFKA_UNAVAILABLE);

    assertThat(metrics.spansRefused("http", "kafka_unavailable")).isEqualTo(4);
    assertThat(limiter.inFlightBytes()).isZero();
  }

  @Test
  void missingAcknowledgementTimesOutAsKafkaUnavailable() throws Exception {
    publisher.mode(InMemoryPublisher.Mode.NEVER_ANSWER);

    assertThat(outcome(ingest.export("grpc", TestTraces.scanned(TestTraces.request(1, 1, 1, 0)))))
        .isEqualTo(Outcome.KAFKA_UNAVAILABLE);
    assertThat(limiter.inFlightBytes()).isZero();
  }

  @Test
  void refusesWhenTheInFlightLimitIsReached() throws Exception {
    limiter.tryAcquire(1 << 20);

    assertThat(outcome(ingest.export("http", TestTraces.scanned(TestTraces.request(1, 1, 2, 0)))))
        .isEqualTo(Outcome.MEMORY_LIMIT);
    assertThat(metrics.spansRefused("http", "memory_limit")).isEqualTo(2);
    assertThat(publisher.values()).isEmpty();
  }

  @Test
  void spanLargerThanARecordIsRefusedAsTooLarge() throws Exception {
    assertThat(outcome(ingest.export("http", TestTraces.scanned(TestTraces.request(1, 1, 2, 10_000)))))
        .isEqualTo(Outcome.SPAN_TOO_LARGE);
    assertThat(publisher.values()).isEmpty();
    assertThat(limiter.inFlightBytes()).isZero();
  }

  /** The export's outcome, or a failure if it has none within 10 s (the send timeout here is 200 ms). */
  private static Outcome outcome(CompletableFuture<Outcome> export) throws Exception {
    try {
      return export.get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the export had no outcome within 10 s", e);
    }
  }
}
