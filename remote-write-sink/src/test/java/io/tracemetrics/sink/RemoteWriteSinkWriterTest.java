package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracemetrics.sink.WireDecoder.DecodedSeries;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
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

  private final List<RemoteWriteSinkWriter> writers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    receiver.close();
    second.close();
    for (RemoteWriteSinkWriter writer : writers) {
      writer.close();
    }
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
  void seriesLargerThanTheByteLimitGoesAloneInItsBatch() throws Exception {
    RemoteWriteSinkWriter writer = writer(1_000, 200, receiver);

    writer.write(series("small", 1), null);
    writer.write(TimeSeries.builder("huge").label("job", "x".repeat(300)).sample(1, 1).build(), null);
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

    awaitCondition(() -> !receiver.accepted().isEmpty(), "the timer's batch");
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

    awaitCondition(() -> receiver.accepted().size() == 2, "the second batch");
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

  @Test
  void seriesWithMoreSamplesThanABatchIsSplitAcrossBatchesInTimestampOrder() throws Exception {
    RemoteWriteSinkWriter writer = writer(3, 1 << 20, receiver);

    writer.write(series("before", 1), null);
    writer.write(series("long", 8), null);
    writer.flush(false);

    assertThat(receiver.accepted()).extracting(r -> r.series().stream()
            .map(s -> s.label("__name__") + "@" + s.samples().stream().map(x -> x.timestamp()).toList())
            .toList())
        .containsExactly(
            List.of("before@[1000]", "long@[1000, 1001]"),
            List.of("long@[1002, 1003, 1004]"),
            List.of("long@[1005, 1006, 1007]"));
  }

  @Test
  void slowEndpointDelaysTheOtherOnlyOnceItsBufferIsFullAndFlushWaitsForIt() throws Exception {
    second.respond(TestReceiver.hold()); // the second endpoint's first request waits for release()
    RemoteWriteSinkWriter writer = writer(1, 1 << 20, 2, FailurePolicy.DROP, receiver, second);

    writer.write(series("a", 1), null); // second: a in flight
    writer.write(series("b", 1), null); // second: a in flight, b queued: buffer full
    awaitCondition(() -> receiver.accepted().size() == 2, "the fast endpoint to get a and b");

    Thread task = new Thread(() -> {
      try {
        writer.write(series("c", 1), null);
        writer.flush(false);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    task.start();
    awaitCondition(() -> task.getState() == Thread.State.WAITING, "write to block on the full buffer");
    assertThat(second.requests()).isEmpty();
    assertThat(task.isAlive()).isTrue();

    second.release();
    task.join(10_000);

    assertThat(task.isAlive()).isFalse();
    assertThat(names(receiver.acceptedSeries())).containsExactly("a", "b", "c");
    assertThat(names(second.acceptedSeries())).containsExactly("a", "b", "c");
  }

  @Test
  void senderFailureFailsTheTaskThreadUnderFailPolicy() throws Exception {
    receiver.respond(TestReceiver.status(400, "bad label"));
    RemoteWriteSinkWriter writer = writer(1, 1 << 20, 2, FailurePolicy.FAIL, receiver);

    writer.write(series("a", 1), null);

    assertThatThrownBy(() -> writer.flush(false)).isInstanceOf(RemoteWriteException.class)
        .hasMessageContaining("HTTP 400 bad label");
    assertThatThrownBy(() -> writer.write(series("b", 1), null))
        .isInstanceOf(RemoteWriteException.class);
    writer.close();
  }

  @Test
  void misconfiguredEndpointFailsTheTaskThreadEvenUnderDropPolicy() throws Exception {
    for (int i = 0; i < 4; i++) {
      receiver.respond(TestReceiver.status(403, "forbidden"));
    }
    RemoteWriteSinkWriter writer = writer(1, 1 << 20, 2, FailurePolicy.DROP, receiver);

    writer.write(series("a", 1), null);

    assertThatThrownBy(() -> writer.flush(false)).isInstanceOf(RemoteWriteException.class)
        .hasMessageContaining("HTTP 403 forbidden").hasMessageContaining(receiver.url());
    assertThat(receiver.requests()).hasSize(4);
    assertThat(receiver.accepted()).isEmpty();
    writer.close();
  }

  @Test
  void closeStopsASenderWaitingForAnAnswerWithoutDelivering() throws Exception {
    receiver.respond(TestReceiver.hang());
    RemoteWriteSinkWriter writer = writer(1, 1 << 20, receiver);
    writer.write(series("a", 1), null);
    awaitCondition(() -> receiver.requests().size() == 1, "the request to reach the receiver");

    long start = System.nanoTime();
    writer.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t ->
        t.getName().startsWith("remote-write-sender-" + receiver.url()));
    assertThat(receiver.accepted()).isEmpty();
  }

  private RemoteWriteSinkWriter writer(int maxSamples, int maxBytes, TestReceiver... receivers) {
    return writer(maxSamples, maxBytes, 4, FailurePolicy.DROP, receivers);
  }

  private RemoteWriteSinkWriter writer(int maxSamples, int maxBytes, int inFlight,
      FailurePolicy onRejected, TestReceiver... receivers) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    RetrySettings retry = new RetrySettings(Duration.ofMillis(1), Duration.ofMillis(5),
        Duration.ofSeconds(30), onRejected, FailurePolicy.FAIL, 100);
    List<EndpointSender> senders = Arrays.stream(receivers)
        .map(r -> EndpointSender.start(new RemoteWriteClient(URI.create(r.url()), r.url(),
            Map.of("Content-Encoding", "snappy"), Duration.ofSeconds(10), http, retry,
            new SinkMetrics(UnregisteredMetricsGroup.createSinkWriterMetricGroup(), r.url()),
            d -> Thread.sleep(d.toMillis())), r.url(), inFlight))
        .toList();
    writers.add(new RemoteWriteSinkWriter(senders, time, maxSamples, maxBytes, MAX_BUFFER_MILLIS));
    return writers.get(writers.size() - 1);
  }

  /** Polls a condition with a deadline. */
  private static void awaitCondition(BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
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
