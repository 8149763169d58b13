package io.tracemetrics.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.gateway.ingest.InFlightLimiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyHttpServerTest {
  private static final int LIMIT = 1000;

  private NettyHttpServer server;
  private final InFlightLimiter budget = new InFlightLimiter(10_000);

  /** Answers with what it received: method, path, body length and problem, and the X-Test header. */
  private static CompletableFuture<HttpAnswer> echo(ReceivedRequest request) {
    return CompletableFuture.completedFuture(HttpAnswer.text(200, request.method() + " " + request.path() + " "
        + request.body().length + " " + request.bodyProblem() + " " + request.header("x-test")));
  }

  private NettyHttpServer start(HttpService service) throws Exception {
    server = NettyHttpServer.builder().name("test-http").host("127.0.0.1").port(0).threads(2)
        .maxBodyBytes(LIMIT).bodyBudget(budget).service(service).start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  void keepAliveConnectionCarriesSeveralRequests() throws Exception {
    start(NettyHttpServerTest::echo);
    try (RawHttp http = new RawHttp(server.port())) {
      for (int i = 0; i < 3; i++) {
        RawHttp.Response response = http.send(RawHttp.post("/v1/traces?x=1", 5, "X-Test: " + i + "\r\n") + "abcde")
            .read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("POST /v1/traces 5 NONE " + i);
        assertThat(response.headers()).containsEntry("connection", "keep-alive");
      }
    }
    assertThat(budget.inFlightBytes()).isZero();
  }

  @Test
  void theServiceChoosesTheIoThreadOrAWorkerForEachRequest() throws Exception {
    start(new HttpService() {
      @Override
      public CompletableFuture<HttpAnswer> serve(ReceivedRequest request) {
        return CompletableFuture.completedFuture(HttpAnswer.text(200, Thread.currentThread().getName()));
      }

      @Override
      public boolean servesOnIoThread(ReceivedRequest request) {
        if (request.path().equals("/broken")) {
          throw new IllegalStateException("test");
        }
        return request.path().equals("/io");
      }
    });
    try (RawHttp http = new RawHttp(server.port())) {
      assertThat(http.send(RawHttp.post("/io", 1, "") + "x").read().body()).startsWith("test-http-io-");
      assertThat(http.send(RawHttp.post("/worker", 1, "") + "x").read().body())
          .startsWith("test-http-").doesNotStartWith("test-http-io-");
      assertThat(http.send(RawHttp.post("/broken", 1, "") + "x").read().body())
          .startsWith("test-http-").doesNotStartWith("test-http-io-");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    start(NettyHttpServerTest::echo);
    try (RawHttp http = new RawHttp(server.port())) {
      http.send(RawHttp.post("/a", 1, "X-Test: 1\r\n") + "x" + RawHttp.post("/b", 2, "X-Test: 2\r\n") + "yy");
      assertThat(http.read().body()).isEqualTo("POST /a 1 NONE 1");
      assertThat(http.read().body()).isEqualTo("POST /b 2 NONE 2");
    }
  }

  @Test
  void idleKeepAliveConnectionIsClosed() throws Exception {
    server = NettyHttpServer.builder().host("127.0.0.1").idleSeconds(1).bodyBudget(budget)
        .service(NettyHttpServerTest::echo).start();
    try (RawHttp http = new RawHttp(server.port())) {
      assertThat(http.send(RawHttp.post("/v1/traces", 0, "")).read().status()).isEqualTo(200);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void chunkedBodyIsCollectedWhole() throws Exception {
    start(NettyHttpServerTest::echo);
    try (RawHttp http = new RawHttp(server.port())) {
      http.send("POST /v1/traces HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
      http.send("3\r\nabc\r\n");
      http.send("4\r\ndefg\r\n0\r\n\r\n");
      assertThat(http.read().body()).isEqualTo("POST /v1/traces 7 NONE null");
    }
  }

  @Test
  void emptyBodyIsAnEmptyArray() throws Exception {
    start(NettyHttpServerTest::echo);
    try (RawHttp http = new RawHttp(server.port())) {
      assertThat(http.send(RawHttp.post("/v1/traces", 0, "")).read().body()).isEqualTo("POST /v1/traces 0 NONE null");
    }
  }

  @Test
  void declaredBodyOverTheLimitIsDroppedAndTheConnectionStaysUsable() throws Exception {
    start(NettyHttpServerTest::echo);
    try (RawHttp http = new RawHttp(server.port())) {
      http.send(RawHttp.post("/v1/traces", LIMIT + 1, "") + "x".repeat(LIMIT + 1));
      assertThat(http.read().body()).isEqualTo("POST /v1/traces 0 TOO_LARGE null");
      assertThat(http.send(RawHttp.post("/v1/traces", 2, "") + "ok").read().body())
          .isEqualTo("POST /v1/traces 2 NONE null");
    }
  }

  @Test
  void chunkedBodyOverTheLimitIsTooLarge() throws Exception {
    start(NettyHttpServerTest::echo);
    try (RawHttp http = new RawHttp(server.port())) {
      http.send("POST /v1/traces HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = "x".repeat(600);
      http.send("258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
      assertThat(http.read().body()).isEqualTo("POST /v1/traces 0 TOO_LARGE null");
    }
    assertThat(budget.inFlightBytes()).isZero();
  }

  @Test
  void largeDeclaredBodyIsCollectedFromItsChunks() throws Exception {
    int size = RequestCollector.PREALLOCATE_BYTES + 1;
    InFlightLimiter roomy = new InFlightLimiter(4L * size);
    server = NettyHttpServer.builder().host("127.0.0.1").maxBodyBytes(2 * size).bodyBudget(roomy)
        .service(NettyHttpServerTest::echo).start();
    try (RawHttp http = new RawHttp(server.port())) {
      assertThat(http.send(RawHttp.post("/v1/traces", size, "") + "y".repeat(size)).read().body())
          .isEqualTo("POST /v1/traces " + size + " NONE null");
    }
    assertThat(roomy.inFlightBytes()).isZero();
  }

  @Test
  void bodyBeyondTheSharedBudgetIsRefused() throws Exception {
    start(NettyHttpServerTest::echo);
    budget.tryAcquire(9_999);   // other requests hold almost all of it
    try (RawHttp http = new RawHttp(server.port())) {
      assertThat(http.send(RawHttp.post("/v1/traces", 10, "") + "0123456789").read().body())
          .isEqualTo("POST /v1/traces 0 OVER_BUDGET null");
    }
    assertThat(budget.inFlightBytes()).isEqualTo(9_999);
  }

  @Test
  void malformedRequestIs400AndClosed() throws Exception {
    start(NettyHttpServerTest::echo);
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response response = http.send("POST /v1/traces HTTP/1.1\r\nContent-Length: nope\r\n\r\n").read();
      assertThat(response.status()).isEqualTo(400);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void http10WithoutKeepAliveIsClosedAfterTheAnswer() throws Exception {
    start(NettyHttpServerTest::echo);
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response response = http.send("POST /v1/traces HTTP/1.0\r\nContent-Length: 1\r\n\r\nx").read();
      assertThat(response.status()).isEqualTo(200);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void expectContinueGetsContinueBeforeTheBody() throws Exception {
    start(NettyHttpServerTest::echo);
    try (RawHttp http = new RawHttp(server.port())) {
      assertThat(http.send(RawHttp.post("/v1/traces", 3, "Expect: 100-continue\r\n")).read().status())
          .isEqualTo(100);
      assertThat(http.send("abc").read().body()).isEqualTo("POST /v1/traces 3 NONE null");
    }
  }

  @Test
  void stopAnswersTheRunningRequestAndRefusesNewOnes() throws Exception {
    CompletableFuture<HttpAnswer> held = new CompletableFuture<>();
    CountDownLatch arrived = new CountDownLatch(1);
    start(request -> {
      if ("held".equals(request.header("x-test"))) {
        arrived.countDown();
        return held;
      }
      return echo(request);
    });
    try (RawHttp running = new RawHttp(server.port()); RawHttp late = new RawHttp(server.port())) {
      running.send(RawHttp.post("/v1/traces", 0, "X-Test: held\r\n"));
      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(30)));

      // Until stop() has begun draining, the late connection is still served; then it is refused.
      RawHttp.Response refused = firstAnswerNot200(late, Duration.ofSeconds(10));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.headers()).containsEntry("retry-after", "1");
      assertThat(stopped).isNotDone();

      held.complete(HttpAnswer.text(200, "done"));
      assertThat(running.read().body()).isEqualTo("done");
      stopped.get(10, TimeUnit.SECONDS);
    }
    server = null;
  }

  /**
   * Sends empty POSTs on {@code http} until one is answered with something other than 200, and returns that
   * answer; fails if every answer within {@code timeout} is 200.
   */
  private static RawHttp.Response firstAnswerNot200(RawHttp http, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    int answered200 = 0;
    while (true) {
      RawHttp.Response response = http.send(RawHttp.post("/v1/traces", 0, "")).read();
      if (response.status() != 200) {
        return response;
      }
      answered200++;
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the server was still answering 200 after " + timeout + " ("
            + answered200 + " requests); stop() never began refusing new requests");
      }
      Thread.sleep(1);
    }
  }

  @Test
  void failingServiceIs500() throws Exception {
    start(request -> {
      throw new IllegalStateException("test");
    });
    try (RawHttp http = new RawHttp(server.port())) {
      assertThat(http.send(RawHttp.post("/v1/traces", 0, "")).read().status()).isEqualTo(500);
    }
  }
}
