package io.tracemetrics.sink;

import static io.tracemetrics.sink.TestReceiver.hang;
import static io.tracemetrics.sink.TestReceiver.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracemetrics.sink.TestReceiver.Response;
import io.tracemetrics.sink.SinkMetrics.DropReason;
import io.tracemetrics.sink.WireDecoder.DecodedSeries;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteWriteClientTest {
  private static final Map<String, String> HEADERS = Map.of("Content-Encoding", "snappy",
      "Content-Type", "application/x-protobuf", "X-Prometheus-Remote-Write-Version", "0.1.0",
      "User-Agent", "test-agent/1", "X-Scope-OrgID", "tenant-1");

  private final TestReceiver receiver = new TestReceiver();
  private final SinkMetrics metrics =
      new SinkMetrics(UnregisteredMetricsGroup.createSinkWriterMetricGroup(), "test");
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final WriteRequestBuffer batch = new WriteRequestBuffer(64);

  RemoteWriteClientTest() throws Exception {
    batch.add(TimeSeries.builder("m").label("a", "1").sample(1, 1).sample(2, 2).build());
    batch.add(TimeSeries.builder("n").sample(3, 3).build());
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void acceptedBatchSendsProtocolHeadersAndBodyAndCountsIt() throws Exception {
    byte[] body = batch.snappyCompressed();

    send(client(policy(FailurePolicy.DROP, FailurePolicy.FAIL)), body);

    assertThat(receiver.requests()).singleElement().satisfies(r -> {
      assertThat(r.headers().getFirst("Content-Encoding")).isEqualTo("snappy");
      assertThat(r.headers().getFirst("Content-Type")).isEqualTo("application/x-protobuf");
      assertThat(r.headers().getFirst("X-Prometheus-Remote-Write-Version")).isEqualTo("0.1.0");
      assertThat(r.headers().getFirst("User-Agent")).isEqualTo("test-agent/1");
      assertThat(r.headers().getFirst("X-Scope-OrgID")).isEqualTo("tenant-1");
      assertThat(r.body()).isEqualTo(body);
    });
    assertThat(metrics.samplesOut()).isEqualTo(3);
    assertThat(metrics.seriesOut()).isEqualTo(2);
    assertThat(metrics.requestsOut()).isEqualTo(1);
    assertThat(metrics.retries()).isZero();
    assertThat(metrics.bytesUncompressed()).isEqualTo(batch.sizeBytes());
    assertThat(metrics.bytesCompressed()).isEqualTo(body.length);
    assertThat(metrics.requestLatencyCount()).isEqualTo(1);
  }

  @Test
  void serverErrorsAndTooManyRequestsAreRetriedUntilAccepted() throws Exception {
    receiver.respond(status(500), status(503), status(429));

    send(client(policy(FailurePolicy.DROP, FailurePolicy.FAIL)), batch.snappyCompressed());

    assertThat(receiver.requests()).extracting(TestReceiver.Request::answeredStatus)
        .containsExactly(500, 503, 429, 204);
    assertThat(metrics.retries()).isEqualTo(3);
    assertThat(metrics.requestsOut()).isEqualTo(4);
    assertThat(metrics.samplesOut()).isEqualTo(3);
    // Exponential: 100, 200, 400 ms ceilings, each jittered into its upper half.
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void retryAfterSecondsAndHttpDateAreHonoured() throws Exception {
    String inTwentySeconds = DateTimeFormatter.RFC_1123_DATE_TIME
        .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(21));
    receiver.respond(new Response(429, Map.of("Retry-After", "7"), ""),
        new Response(503, Map.of("Retry-After", inTwentySeconds), ""));

    send(client(policy(FailurePolicy.DROP, FailurePolicy.FAIL)), batch.snappyCompressed());

    assertThat(sleeps).hasSize(2);
    assertThat(sleeps.get(0)).isEqualTo(Duration.ofSeconds(7));
    assertThat(sleeps.get(1)).isBetween(Duration.ofSeconds(18), Duration.ofSeconds(21));
    assertThat(metrics.samplesOut()).isEqualTo(3);
  }

  @Test
  void refusedSeriesIsDroppedAloneAndTheOtherSeriesIsStored() throws Exception {
    receiver.refuseSeries(s -> "m".equals(s.label("__name__")), status(400, "out of order sample"));

    send(client(policy(FailurePolicy.DROP, FailurePolicy.FAIL)), batch.snappyCompressed());

    assertThat(receiver.requests()).extracting(TestReceiver.Request::answeredStatus)
        .containsExactly(400, 400, 204);
    assertThat(names(receiver.acceptedSeries())).containsExactly("n");
    assertThat(metrics.samplesDropped(DropReason.OUT_OF_ORDER)).isEqualTo(2);
    assertThat(metrics.samplesOut()).isEqualTo(1);
    assertThat(metrics.splitRequests()).isEqualTo(2);
    assertThat(metrics.retries()).isZero();
    assertThat(sleeps).isEmpty();
  }

  @Test
  void oneRefusedSeriesAmongSixteenCostsTwiceLog2NMoreRequestsAndEveryOtherSeriesIsStoredInOrder()
      throws Exception {
    EncodedBatch sixteen = sixteenSeries();
    receiver.refuseSeries(s -> "s5".equals(s.label("__name__")), status(400, "out of order sample"));

    client(policy(FailurePolicy.DROP, FailurePolicy.FAIL)).send(sixteen);

    // 2·k·log2(n) = 2·1·4 = 8 requests after the first.
    assertThat(receiver.requests()).hasSize(1 + 8);
    assertThat(metrics.splitRequests()).isEqualTo(8);
    assertThat(names(receiver.acceptedSeries())).containsExactly("s0", "s1", "s2", "s3", "s4", "s6", "s7",
        "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15");
    assertThat(receiver.acceptedSeries()).allSatisfy(s -> assertThat(s.samples()).hasSize(2));
    assertThat(metrics.samplesOut()).isEqualTo(30);
    assertThat(metrics.seriesOut()).isEqualTo(15);
    assertThat(metrics.samplesDropped(DropReason.OUT_OF_ORDER)).isEqualTo(2);
  }

  @Test
  void splitStopsAtMaxSplitRequestsAndDropsWhatItDidNotSendAsSplitLimit() throws Exception {
    EncodedBatch sixteen = sixteenSeries();
    receiver.refuseSeries(s -> "s5".equals(s.label("__name__")), status(400, "out of order sample"));
    RetrySettings cappedAtThree = new RetrySettings(Duration.ofMillis(100), Duration.ofSeconds(5),
        Duration.ofMinutes(5), FailurePolicy.DROP, FailurePolicy.FAIL, 3);

    client(cappedAtThree).send(sixteen);

    // s0-s7 refused, s0-s3 stored, s4-s7 refused: the cap is reached and s4-s15 are never sent.
    assertThat(receiver.requests()).hasSize(4);
    assertThat(names(receiver.acceptedSeries())).containsExactly("s0", "s1", "s2", "s3");
    assertThat(metrics.samplesDropped(DropReason.SPLIT_LIMIT)).isEqualTo(24);
    assertThat(metrics.samplesDropped(DropReason.OUT_OF_ORDER)).isZero();
  }

  @Test
  void tooLargeRequestIsSplitUntilThePartsAreAccepted() throws Exception {
    receiver.respond(status(413, "request entity too large"));

    send(client(policy(FailurePolicy.DROP, FailurePolicy.FAIL)), batch.snappyCompressed());

    assertThat(receiver.requests()).extracting(TestReceiver.Request::answeredStatus)
        .containsExactly(413, 204, 204);
    assertThat(names(receiver.acceptedSeries())).containsExactly("m", "n");
    assertThat(metrics.samplesOut()).isEqualTo(3);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {301, 302, 307, 308, 401, 403, 404})
  void misconfigurationFailsTheWriterAfterThreeRetriesWhateverThePoliciesSay(int status) {
    for (int i = 0; i < 10; i++) {
      receiver.respond(new Response(status, Map.of("Location", "http://elsewhere/api/v1/write"),
          "not here"));
    }
    RemoteWriteClient client = client(policy(FailurePolicy.DROP, FailurePolicy.DROP));

    assertThatThrownBy(() -> send(client, batch.snappyCompressed()))
        .isInstanceOf(RemoteWriteException.class)
        .hasMessageContaining(receiver.url())
        .hasMessageContaining("HTTP " + status + " not here")
        .hasMessageContaining("4 times")
        .hasMessageContaining("misconfigured");
    assertThat(receiver.requests()).hasSize(1 + ResponseClassifier.MISCONFIGURED_RETRIES);
    assertThat(metrics.misconfiguredResponses(status)).isEqualTo(4);
    assertThat(metrics.retries()).isEqualTo(3);
    assertThat(sleeps).hasSize(3);
    for (DropReason reason : DropReason.values()) {
      assertThat(metrics.samplesDropped(reason)).as(reason.name()).isZero();
    }
  }

  @Test
  void misconfigurationAnswerThatClearsWithinTheRetriesIsDelivered() throws Exception {
    receiver.respond(status(404), status(503), status(401));

    send(client(policy(FailurePolicy.DROP, FailurePolicy.FAIL)), batch.snappyCompressed());

    assertThat(receiver.accepted()).hasSize(1);
    assertThat(metrics.misconfiguredResponses(404)).isEqualTo(1);
    assertThat(metrics.misconfiguredResponses(401)).isEqualTo(1);
    assertThat(metrics.samplesOut()).isEqualTo(3);
  }

  @Test
  void rejectedBatchFailsTheTaskWhenPolicyIsFailAndReportsTheReceiversReason() {
    receiver.respond(status(400, "label value too long"));
    RemoteWriteClient client = client(policy(FailurePolicy.FAIL, FailurePolicy.FAIL));

    assertThatThrownBy(() -> send(client, batch.snappyCompressed()))
        .isInstanceOf(RemoteWriteException.class)
        .hasMessageContaining("rejected")
        .hasMessageContaining("HTTP 400 label value too long");
    assertThat(receiver.requests()).hasSize(1);
    assertThat(metrics.samplesDropped(DropReason.REJECTED)).isZero();
  }

  @Test
  void hangingReceiverTimesOutAndIsRetried() throws Exception {
    receiver.respond(hang());

    send(client(policy(FailurePolicy.DROP, FailurePolicy.FAIL), Duration.ofMillis(300)),
        batch.snappyCompressed());

    assertThat(receiver.requests().get(0).answeredStatus()).isEqualTo(-1);
    assertThat(receiver.accepted()).hasSize(1);
    assertThat(metrics.retries()).isEqualTo(receiver.requests().size() - 1).isPositive();
    assertThat(metrics.samplesOut()).isEqualTo(3);
  }

  @Test
  void unreachableReceiverExhaustsRetriesThenFails() throws Exception {
    RemoteWriteClient client = new RemoteWriteClient(URI.create(closedPortUrl()), "down", HEADERS,
        Duration.ofSeconds(1), HttpClient.newHttpClient(), shortRetries(FailurePolicy.FAIL), metrics,
        realSleep());

    assertThatThrownBy(() -> send(client, batch.snappyCompressed()))
        .isInstanceOf(RemoteWriteException.class)
        .hasMessageContaining("retries exhausted")
        .hasMessageContaining("ConnectException");
    assertThat(metrics.retries()).isPositive();
  }

  @Test
  void unreachableReceiverExhaustsRetriesThenDropsWhenPolicyIsDrop() throws Exception {
    RemoteWriteClient client = new RemoteWriteClient(URI.create(closedPortUrl()), "down", HEADERS,
        Duration.ofSeconds(1), HttpClient.newHttpClient(), shortRetries(FailurePolicy.DROP), metrics,
        realSleep());

    send(client, batch.snappyCompressed());

    assertThat(metrics.samplesDropped(DropReason.RETRIES_EXHAUSTED)).isEqualTo(3);
    assertThat(metrics.samplesOut()).isZero();
  }

  /** Series s0 to s15, two samples each. */
  private static EncodedBatch sixteenSeries() {
    WriteRequestBuffer buffer = new WriteRequestBuffer(1024);
    for (int i = 0; i < 16; i++) {
      buffer.add(TimeSeries.builder("s" + i).label("job", "j").sample(i, 1_000).sample(i, 2_000).build());
    }
    return new EncodedBatch(buffer.snappyCompressed(), buffer.sizeBytes(), buffer.seriesCount(),
        buffer.sampleCount());
  }

  private static List<String> names(List<DecodedSeries> series) {
    return series.stream().map(s -> s.label("__name__")).toList();
  }

  private void send(RemoteWriteClient client, byte[] body) throws Exception {
    client.send(new EncodedBatch(body, batch.sizeBytes(), batch.seriesCount(), batch.sampleCount()));
  }

  private RemoteWriteClient client(RetrySettings retry) {
    return client(retry, Duration.ofSeconds(5));
  }

  private RemoteWriteClient client(RetrySettings retry, Duration requestTimeout) {
    return new RemoteWriteClient(URI.create(receiver.url()), "test", HEADERS, requestTimeout,
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), retry, metrics,
        sleeps::add);
  }

  private static RetrySettings policy(FailurePolicy onRejected, FailurePolicy onExhausted) {
    return new RetrySettings(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(5),
        onRejected, onExhausted, 100);
  }

  private static RetrySettings shortRetries(FailurePolicy onExhausted) {
    return new RetrySettings(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(300),
        FailurePolicy.DROP, onExhausted, 100);
  }

  private static RemoteWriteClient.Sleeper realSleep() {
    return d -> Thread.sleep(d.toMillis());
  }

  /** A port that was just free: nothing listens there, so connecting is refused. */
  private static String closedPortUrl() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/api/v1/write";
    }
  }
}
