package io.tracemetrics.gateway.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tracemetrics.gateway.ingest.InFlightLimiter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server on Netty for the OTLP/HTTP port: keep-alive, chunked bodies, optional TLS, a bound
 * on every body, and a bounded worker pool for the {@link HttpService}. When the pool and its queue are
 * full the I/O thread runs the work itself, which pauses reading: overload becomes TCP back-pressure.
 */
public final class NettyHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NettyHttpServer.class);

  private final String name;
  private final EventLoopGroup group;
  private final ThreadPoolExecutor workers;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Exchanges exchanges = new Exchanges();
  private Channel listener;

  private NettyHttpServer(Builder builder) {
    this.name = builder.name;
    this.group = new MultiThreadIoEventLoopGroup(builder.ioThreads,
        new DefaultThreadFactory(builder.name + "-io", true), NioIoHandler.newFactory());
    this.workers = new ThreadPoolExecutor(builder.threads, builder.threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(builder.threads * 4), new DefaultThreadFactory(builder.name, true),
        new ThreadPoolExecutor.CallerRunsPolicy());
  }

  public static Builder builder() {
    return new Builder();
  }

  private NettyHttpServer bind(Builder builder) throws IOException {
    InFlightLimiter budget = builder.bodyBudget;
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 128)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channels.add(channel);
            ChannelPipeline pipeline = channel.pipeline();
            if (builder.tls != null) {
              pipeline.addLast("tls", new SslHandler(builder.tls.get()));
            }
            pipeline.addLast("idle", new IdleStateHandler(0, 0, builder.idleSeconds));
            pipeline.addLast("codec", new HttpServerCodec());
            pipeline.addLast("continue", new HttpServerExpectContinueHandler());
            pipeline.addLast("collect", new RequestCollector(builder.maxBodyBytes, budget));
            pipeline.addLast("exchange", new ExchangeHandler(builder.service, workers, exchanges));
          }
        });
    try {
      listener = bootstrap.bind(new InetSocketAddress(builder.host, builder.port)).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding " + builder.host + ":" + builder.port, e);
    } catch (RuntimeException e) {
      shutdownThreads();
      throw new IOException("cannot bind " + builder.host + ":" + builder.port + ": " + e.getMessage(), e);
    }
    LOG.info("{} listening on {}:{}{}, {} I/O threads, {} workers", name, builder.host, port(),
        builder.tls == null ? "" : " (TLS)", builder.ioThreads, builder.threads);
    return this;
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /**
   * Refuses new requests (503, retryable), waits up to {@code grace} for the running ones to be answered,
   * then closes every connection and stops the threads.
   */
  public void stop(Duration grace) {
    int remaining = exchanges.drain(grace);
    if (remaining > 0) {
      LOG.warn("{}: {} exchanges still running after {}", name, remaining, grace);
    }
    listener.close().syncUninterruptibly();
    channels.close().awaitUninterruptibly();
    shutdownThreads();
  }

  private void shutdownThreads() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(1));
  }

  /** Settings of a {@link NettyHttpServer}; {@link #service}, {@link #bodyBudget} are required. */
  public static final class Builder {
    private String name = "http";
    private String host = "0.0.0.0";
    private int port;
    private int threads = 4;
    private int ioThreads = Runtime.getRuntime().availableProcessors();
    private int maxBodyBytes = 4 << 20;
    private InFlightLimiter bodyBudget;
    private HttpService service;
    @Nullable private Supplier<SSLEngine> tls;
    /** Keep-alive connections without traffic are closed after this long, as the JDK server did. */
    private int idleSeconds = 30;

    private Builder() {}

    /** For tests. */
    Builder idleSeconds(int seconds) {
      this.idleSeconds = seconds;
      return this;
    }

    /** Thread-name prefix and log name. Default {@code http}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Default {@code 0.0.0.0}. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Default 0: any free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Worker threads running the service. Default 4. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be positive: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Event-loop threads: they read and write the connections, and run the service for requests it
     * serves on them. Default one per core.
     */
    public Builder ioThreads(int ioThreads) {
      if (ioThreads < 1) {
        throw new IllegalArgumentException("ioThreads must be positive: " + ioThreads);
      }
      this.ioThreads = ioThreads;
      return this;
    }

    /** Largest body kept, in bytes, as sent on the wire. Default 4 MiB. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes <= 0) {
        throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** Bounds the body bytes held while requests are being received, over all connections. */
    public Builder bodyBudget(InFlightLimiter budget) {
      this.bodyBudget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    public Builder service(HttpService service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /** A new server-mode engine per connection (client authentication already set); default plain HTTP. */
    public Builder tls(Supplier<SSLEngine> engines) {
      this.tls = Objects.requireNonNull(engines, "engines");
      return this;
    }

    /** Binds and starts the server. */
    public NettyHttpServer start() throws IOException {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(bodyBudget, "bodyBudget");
      return new NettyHttpServer(this).bind(this);
    }
  }
}
