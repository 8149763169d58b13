package io.tracemetrics.bench.compare.load;

import java.time.Duration;

/**
 * How {@link OpenLoopLoad} sends.
 *
 * @param httpSenders threads each owning one keep-alive OTLP/HTTP connection
 * @param grpcSenders threads each owning one OTLP/gRPC channel (blocking unary calls)
 * @param httpShare the fraction of requests sent over HTTP, the rest over gRPC
 * @param maxBacklog how late a request may start before the generator gives up on it: when every sender is
 *     still waiting for an answer that long, the stack is too slow for the offered rate
 */
public record LoadSettings(int httpSenders, int grpcSenders, double httpShare, Duration maxBacklog) {
  public LoadSettings {
    if (httpSenders < 0 || grpcSenders < 0 || httpSenders + grpcSenders == 0) {
      throw new IllegalArgumentException("need at least one sender, got " + httpSenders + " HTTP and "
          + grpcSenders + " gRPC");
    }
    if (!(httpShare >= 0 && httpShare <= 1)) {
      throw new IllegalArgumentException("httpShare must be in [0, 1], got " + httpShare);
    }
    if (httpShare > 0 && httpSenders == 0 || httpShare < 1 && grpcSenders == 0) {
      throw new IllegalArgumentException("httpShare " + httpShare + " needs senders for both shares, got "
          + httpSenders + " HTTP and " + grpcSenders + " gRPC");
    }
    if (maxBacklog == null || maxBacklog.isNegative() || maxBacklog.isZero()) {
      throw new IllegalArgumentException("maxBacklog must be positive, got " + maxBacklog);
    }
  }

  /** 24 HTTP and 8 gRPC senders, half of the requests over each protocol, 2 s of backlog. */
  public static LoadSettings defaults() {
    return new LoadSettings(24, 8, 0.5, Duration.ofSeconds(2));
  }
}
