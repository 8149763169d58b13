package io.tracemetrics.sink;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tracemetrics.sink.WireDecoder.DecodedSeries;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A remote-write receiver on a free loopback port, answering from a script of responses (then 204) and
 * recording every request. A {@link #hang()} response never answers, until the receiver stops; a
 * {@link #hold()} response answers 204 once the test calls {@link #release()}.
 */
public final class TestReceiver implements AutoCloseable {
  /** A scripted answer. */
  public record Response(int status, Map<String, String> headers, String body) {}

  /** One received request. */
  public record Request(Headers headers, byte[] body, int answeredStatus) {
    public List<DecodedSeries> series() throws IOException {
      return WireDecoder.decodeSnappy(body);
    }
  }

  private static final int HANG = -1;
  private static final int HOLD = -2;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final BlockingQueue<Response> script = new LinkedBlockingQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile Predicate<DecodedSeries> refused = s -> false;
  private volatile Response refusal;

  public TestReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/api/v1/write", this::handle);
    server.start();
  }

  public static Response status(int status) {
    return new Response(status, Map.of(), "");
  }

  public static Response status(int status, String body) {
    return new Response(status, Map.of(), body);
  }

  public static Response hang() {
    return new Response(HANG, Map.of(), "");
  }

  /** Answers 204 only after {@link #release()} (or when the receiver stops). */
  public static Response hold() {
    return new Response(HOLD, Map.of(), "");
  }

  /** Lets every held request, and any later one, answer. */
  public void release() {
    released.countDown();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
  }

  /** Queues answers for the next requests; later requests get 204. */
  public TestReceiver respond(Response... responses) {
    script.addAll(List.of(responses));
    return this;
  }

  /**
   * Like Prometheus, refuses a whole request (once the script is used up) with {@code response} when it
   * holds any series that {@code refuse} matches.
   */
  public TestReceiver refuseSeries(Predicate<DecodedSeries> refuse, Response response) {
    refusal = response;
    refused = refuse;
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Requests the receiver accepted (2xx), in order. */
  public List<Request> accepted() {
    return requests.stream().filter(r -> r.answeredStatus / 100 == 2).toList();
  }

  /** Every series of every accepted request. */
  public List<DecodedSeries> acceptedSeries() throws IOException {
    List<DecodedSeries> all = new ArrayList<>();
    for (Request r : accepted()) {
      all.addAll(r.series());
    }
    return all;
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Response response = script.poll();
    if (response == null) {
      response = WireDecoder.decodeSnappy(body).stream().anyMatch(refused) ? refusal : status(204);
    }
    if (response.status() == HOLD) {
      await(released);
      response = status(204);
    }
    requests.add(new Request(exchange.getRequestHeaders(), body, response.status()));
    if (response.status() == HANG) {
      awaitStop();
      exchange.close();
      return;
    }
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] out = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }

  private void awaitStop() {
    await(stopped);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(Duration.ofMinutes(1).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopped.countDown();
    released.countDown(); // a forgotten release never outlives the test
    server.stop(0);
    executor.shutdownNow();
  }
}
