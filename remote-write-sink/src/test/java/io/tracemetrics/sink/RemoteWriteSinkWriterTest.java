package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.sink.http.RemoteWriteClient;
import io.tracemetrics.sink.http.RetrySettings;
import io.tracemetrics.sink.metrics.SinkMetrics;
import io.tracemetrics.sink.wire.WireDecoder.DecodedSeries;
import io.tracemetrics.sink.wire.WriteRequestBuffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteSinkWriterTest {
  private static final long MAX_BUFFER_MILLIS = 1_000;

  private final TestReceiver receiver = new TestReceiver();
  private final TestReceiver second = new TestReceiver();
  private final ManualProcessingTimeService time = new ManualProcessingTimeService();

  RemoteWriteSinkWriterTest() throws Exception {}

  @AfterEach
  void stop() {
    receiver.close();
    second.close();
  }

  @Test
  void batchIsSentWhenSampleLimitWouldBeExceeded() throws Exception {
    RemoteWriteSinkWriter writer = writer(4, 1 << 20, receiver);

    for (int i = 0; i < 5; i++) {
      writer.write(series("m" + i, 2), null);
    }
    writer.flush(false);

    assertThat(receiver.accepted()).extracting(r -> r.series().size()).containsExactly(2, 2, 1);
    assertThat(names(receiver.acceptedSeries())).containsExactly("m0", "m1", "m2", "m3", "m4");
  }

  @Test
  void batchIsSentWhenByteLimitWouldBeExceeded() throws Exception {
    int oneSeries = WriteRequestBuffer.encodedSize(series("m0", 1));
    RemoteWriteSinkWriter writer = writer(1_000, oneSeries * 3 + 1, receiver);

    for (int i = 0; i < 7; i++) {
      writer.write(series("m" + i, 1), null);
    }
    writer.flush(false);

    assertThat(receiver.accepted()).extracting(r -> r.series().size()).containsExactly(3, 3, 1);
    assertThat(receiver.accepted()).allSatisfy(r ->
        assertThat(Snappy.uncompress(r.body()).length).isLessThanOrEqualTo(oneSeries * 3 + 1));
  }

  @Test
  void seriesLargerThanALimitGoesAloneInItsBatch() throws Exception {
    RemoteWriteSinkWriter writer = writer(3, 1 << 20, receiver);

    writer.write(series("small", 1), null);
    writer.write(series("huge", 10), null);
    writer.write(series("after", 1), null);
    writer.flush(false);

    assertThat(receiver.accepted()).extracting(r -> names(r.series()))
        .containsExactly(List.of("small"), List.of("huge"), List.of("after"));
  }

  @Test
  void flushSendsPartialBatchAndReturnsOnlyAfterTheReceiverAcceptedIt() throws Exception {
    receiver.respond(TestReceiver.status(503));
    RemoteWriteSinkWriter writer = writer(1_000, 1 << 20, receiver);
    writer.write(series("a", 1), null);
    assertThat(receiver.requests()).isEmpty();

    writer.flush(false);

    assertThat(receiver.accepted()).hasSize(1);
    assertThat(names(receiver.acceptedSeries())).containsExactly("a");
    writer.flush(true); // nothing buffered: no empty request
    assertThat(receiver.requests()).hasSize(2);
  }

  @Test
  void partialBatchIsSentWhenItsFirstSeriesIsOldEnoughWithoutNewRecords() throws Exception {
    RemoteWriteSinkWriter writer = writer(1_000, 1 << 20, receiver);
    time.advanceTo(100);
    writer.write(series("a", 1), null);
    time.advanceTo(600);
    writer.write(series("b", 1), null);

    time.advanceTo(100 + MAX_BUFFER_MILLIS - 1);
    assertThat(receiver.requests()).isEmpty();
    time.advanceTo(100 + MAX_BUFFER_MILLIS);

    assertThat(receiver.accepted()).singleElement()
        .satisfies(r -> assertThat(names(r.series())).containsExactly("a", "b"));
  }

  @Test
  void timerOfAnEarlierBatchDefersToTheAgeOfTheCurrentOne() throws Exception {
    RemoteWriteSinkWriter writer = writer(1_000, 1 << 20, receiver);
    writer.write(series("a", 1), null);      // timer due at 1000
    time.advanceTo(500);
    writer.flush(false);                     // batch gone, its timer still pending
    time.advanceTo(900);
    writer.write(series("b", 1), null);      // due at 1900

    time.advanceTo(1_000);
    assertThat(receiver.requests()).hasSize(1);
    assertThat(time.pendingTimers()).isEqualTo(1);
    time.advanceTo(1_900);

    assertThat(receiver.accepted()).extracting(r -> names(r.series()))
        .containsExactly(List.of("a"), List.of("b"));
    assertThat(time.pendingTimers()).isZero();
  }

  @Test
  void everyEndpointGetsEveryBatchWithItsOwnRetries() throws Exception {
    second.respond(TestReceiver.status(500), TestReceiver.status(500));
    RemoteWriteSinkWriter writer = writer(1_000, 1 << 20, receiver, second);

    writer.write(series("a", 2), null);
    writer.flush(false);

    assertThat(receiver.requests()).hasSize(1);
    assertThat(second.requests()).hasSize(3);
    assertThat(names(receiver.acceptedSeries())).isEqualTo(names(second.acceptedSeries()))
        .containsExactly("a");
  }

  private RemoteWriteSinkWriter writer(int maxSamples, int maxBytes, TestReceiver... receivers) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    RetrySettings retry = new RetrySettings(Duration.ofMillis(1), Duration.ofMillis(5),
        Duration.ofSeconds(30), FailurePolicy.DROP, FailurePolicy.FAIL);
    List<RemoteWriteClient> clients = Arrays.stream(receivers)
        .map(r -> new RemoteWriteClient(URI.create(r.url()), r.url(),
            Map.of("Content-Encoding", "snappy"), Duration.ofSeconds(10), http, retry,
            new SinkMetrics(UnregisteredMetricsGroup.createSinkWriterMetricGroup(), r.url()),
            d -> Thread.sleep(d.toMillis())))
        .toList();
    return new RemoteWriteSinkWriter(clients, time, maxSamples, maxBytes, MAX_BUFFER_MILLIS);
  }

  private static TimeSeries series(String name, int samples) {
    TimeSeries.Builder builder = TimeSeries.builder(name).label("job", "test");
    for (int i = 0; i < samples; i++) {
      builder.sample(i, 1_000L + i);
    }
    return builder.build();
  }

  private static List<String> names(List<DecodedSeries> series) {
    return series.stream().map(s -> s.label("__name__")).toList();
  }
}
