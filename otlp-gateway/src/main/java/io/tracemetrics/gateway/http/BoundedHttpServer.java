package io.tracemetrics.gateway.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDK {@link HttpServer} on a bounded thread pool. When the pool and its queue are full the accepting
 * thread runs the exchange itself: that stalls accepting, so overload becomes TCP back-pressure instead
 * of an unbounded queue or a rejected (and therefore silently dropped) exchange.
 */
public final class BoundedHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BoundedHttpServer.class);

  private final String name;
  private final HttpServer server;
  private final ThreadPoolExecutor executor;

  private final Exchanges exchanges = new Exchanges();

  private BoundedHttpServer(String name, HttpServer server, ThreadPoolExecutor executor) {
    this.name = name;
    this.server = server;
    this.executor = executor;
  }

  /** Binds and starts a plain HTTP server with one handler per context path. */
  public static BoundedHttpServer start(String name, String host, int port, int threads,
      Map<String, HttpHandler> handlers) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
    ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(threads * 4), daemonThreads(name), new ThreadPoolExecutor.CallerRunsPolicy());
    BoundedHttpServer bounded = new BoundedHttpServer(name, server, executor);
    handlers.forEach((path, handler) -> server.createContext(path, bounded.counting(handler)));
    server.setExecutor(executor);
    server.start();
    LOG.info("{} listening on {}:{}", name, host, server.getAddress().getPort());
    return bounded;
  }

  private HttpHandler counting(HttpHandler handler) {
    return exchange -> {
      exchanges.started();
      try {
        if (exchanges.draining()) {
          exchange.getResponseHeaders().set("Connection", "close");
          HttpAnswer.text(503, "shutting down").withHeader("Retry-After", "1").writeTo(exchange);
        } else {
          handler.handle(exchange);
        }
      } finally {
        exchanges.finished();
        exchange.close();
      }
    };
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Refuses new exchanges (503, retryable), waits up to {@code grace} for the running ones, then closes.
   * Draining is done here because {@code HttpServer.stop(delay)} waits the whole delay when idle.
   */
  public void stop(Duration grace) {
    int remaining = exchanges.drain(grace);
    if (remaining > 0) {
      LOG.warn("{}: {} exchanges still running after {}", name, remaining, grace);
    }
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(1));
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger next = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
