package io.tracemetrics.bench.compare.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenLoopLoadTest {
  private static final TrafficMix MIX = new TrafficMix(6, 20, 2, 0.2, 0.25, 10, 3);

  @Test
  void answersAreCountedExactlyAndTheOracleMatchesWhatTheServerAccepted() throws Exception {
    RequestSet set = RequestSet.build(MIX, 64);
    try (FakeOtlpStack stack = new FakeOtlpStack(3, 0);
        OpenLoopLoad load = new OpenLoopLoad(set, stack.endpoint(), new LoadSettings(4, 2, 0.5, Duration.ofSeconds(2)))) {
      StepOutcome first = load.run(2_000, Duration.ofSeconds(2));
      StepOutcome second = load.run(1_000, Duration.ofSeconds(1));

      for (StepOutcome step : new StepOutcome[] {first, second}) {
        assertThat(step.acceptedSpans() + step.refusedSpans() + step.unknownSpans()).isEqualTo(step.offeredSpans());
        assertThat(step.spansByOutcome().values().stream().mapToLong(Long::longValue).sum())
            .isEqualTo(step.offeredSpans());
        assertThat(step.unknownSpans()).isZero();
        assertThat(step.spansByOutcome()).containsKeys("http 200", "http 503", "grpc OK", "grpc UNAVAILABLE");
        assertThat(step.spansByOutcome().get("http 200") + step.spansByOutcome().get("grpc OK"))
            .isEqualTo(step.acceptedSpans());
        assertThat(step.p50Millis()).isLessThanOrEqualTo(step.p99Millis());
      }
      assertThat((double) first.offeredSpans()).isCloseTo(4_000, within(400.0));
      assertThat((double) second.offeredSpans()).isCloseTo(1_000, within(100.0));
      long offered = first.offeredSpans() + second.offeredSpans();
      assertThat(stack.receivedSpans()).isEqualTo(offered);
      assertThat((double) stack.httpRequests() / (stack.httpRequests() + stack.grpcRequests()))
          .isCloseTo(0.5, within(0.05));
      assertThat(load.acceptedSpans()).isEqualTo(first.acceptedSpans() + second.acceptedSpans());
      assertThat((double) load.acceptedSpans() / offered).isCloseTo(2 / 3.0, within(0.05));

      long[] perSeries = load.acceptedPerSeries();
      assertThat(perSeries).hasSize((int) MIX.series());
      assertThat(java.util.Arrays.stream(perSeries).sum()).isEqualTo(load.acceptedSpans());
      Map<SeriesKey, Long> oracle = new HashMap<>();
      for (int id = 0; id < perSeries.length; id++) {
        if (perSeries[id] > 0) {
          oracle.put(set.series(id), perSeries[id]);
        }
      }
      assertThat(oracle).isEqualTo(stack.accepted());
    }
  }

  @Test
  void requestsAreOfferedAtTheRateWhateverTheAnswers() throws Exception {
    RequestSet set = RequestSet.build(MIX, 64);
    try (FakeOtlpStack stack = new FakeOtlpStack(0, 0);
        OpenLoopLoad load = new OpenLoopLoad(set, stack.endpoint(), new LoadSettings(3, 0, 1, Duration.ofSeconds(2)))) {
      long before = System.nanoTime();
      long[] atHalf = new long[1];
      Thread half = new Thread(() -> {
        try {
          Thread.sleep(1_520);
          atHalf[0] = stack.receivedSpans();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      half.start();
      StepOutcome step = load.run(3_000, Duration.ofSeconds(3));
      half.join();
      double seconds = (System.nanoTime() - before) / 1e9;
      assertThat((double) step.offeredSpans()).isCloseTo(9_000, within(900.0));
      assertThat(step.acceptedSpans()).isEqualTo(step.offeredSpans()).isEqualTo(stack.receivedSpans());
      assertThat(stack.grpcRequests()).isZero();
      assertThat((double) atHalf[0]).as("received by the middle of the run").isBetween(9_000 * 0.3, 9_000 * 0.7);
      assertThat(seconds).as("the run lasts its duration").isBetween(2.9, 8.0);
      assertThat(step.acceptedSpansPerSecond()).isCloseTo(3_000, within(300.0));
    }
  }

  @Test
  void aSlowStackMakesTheGeneratorGiveUpOnLateRequests() throws Exception {
    RequestSet set = RequestSet.build(MIX, 16);
    try (FakeOtlpStack stack = new FakeOtlpStack(0, 300);
        OpenLoopLoad load = new OpenLoopLoad(set, stack.endpoint(),
            new LoadSettings(1, 1, 0.5, Duration.ofMillis(200)))) {
      StepOutcome step = load.run(500, Duration.ofSeconds(2));
      assertThat(step.spansByOutcome()).containsKey(StepOutcome.BACKLOG);
      assertThat(step.spansByOutcome().get(StepOutcome.BACKLOG)).isGreaterThan(step.offeredSpans() / 2);
      assertThat(step.acceptedSpans()).isPositive().isEqualTo(stack.receivedSpans());
      assertThat(step.acceptedSpans() + step.refusedSpans() + step.unknownSpans()).isEqualTo(step.offeredSpans());
      assertThat(step.p50Millis()).isGreaterThanOrEqualTo(300);
    }
  }

  @Test
  void aRequestWrittenButNeverAnsweredIsUnknown() throws Exception {
    RequestSet set = RequestSet.build(MIX, 16);
    try (ServerSocket server = new ServerSocket(0)) {
      Thread hangUp = new Thread(() -> {
        while (!server.isClosed()) {
          try (java.net.Socket client = server.accept()) {
            client.getInputStream().read(new byte[1024]);
          } catch (java.io.IOException e) {
            return;
          }
        }
      });
      hangUp.setDaemon(true);
      hangUp.start();
      try (OpenLoopLoad load = new OpenLoopLoad(set, new Endpoint("127.0.0.1", server.getLocalPort(), 1),
          new LoadSettings(1, 0, 1, Duration.ofSeconds(2)))) {
        StepOutcome step = load.run(100, Duration.ofSeconds(1));
        assertThat(step.offeredSpans()).isPositive();
        assertThat(step.spansByOutcome()).containsOnlyKeys("no answer (unknown)");
        assertThat(step.unknownSpans()).isEqualTo(step.offeredSpans()).isEqualTo(load.unknownSpans());
        assertThat(load.acceptedSpans()).isZero();
      }
    }
  }

  @Test
  void aClosedPortIsRefusedBeforeSendingOnBothProtocols() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    RequestSet set = RequestSet.build(MIX, 16);
    try (OpenLoopLoad load = new OpenLoopLoad(set, new Endpoint("127.0.0.1", port, port),
        new LoadSettings(1, 1, 0.5, Duration.ofSeconds(2)))) {
      StepOutcome step = load.run(200, Duration.ofSeconds(1));
      assertThat(step.offeredSpans()).isPositive();
      assertThat(step.spansByOutcome()).containsOnlyKeys("connect refused");
      assertThat(step.refusedSpans()).isEqualTo(step.offeredSpans());
      assertThat(load.acceptedSpans()).isZero();
      assertThat(load.unknownSpans()).isZero();
      assertThat(step.p50Millis()).isNaN();
    }
  }
}
