package io.tracemetrics.gateway.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each collected request to the {@link HttpService} on the worker pool (or serves it on the I/O
 * thread when the service says that is quick and cannot wait) and writes its answer.
 * Reading from the connection pauses until the answer is written: one request at a time per connection,
 * and a client that sends faster than it is answered is slowed down by TCP. Requests a pipelining client
 * sent in the same read wait here and are answered in order. An idle connection is closed.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ExchangeHandler.class);

  private final HttpService service;
  private final Executor workers;
  private final Exchanges exchanges;
  /** Only touched on the connection's I/O thread (reads and write listeners run there). */
  private final Queue<RequestCollector.Collected> pipelined = new ArrayDeque<>();
  private boolean busy;

  ExchangeHandler(HttpService service, Executor workers, Exchanges exchanges) {
    this.service = service;
    this.workers = workers;
    this.exchanges = exchanges;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RequestCollector.Malformed) {
      write(ctx, HttpAnswer.text(400, "malformed HTTP request"), false, false);
    } else if (msg instanceof RequestCollector.Collected collected) {
      ctx.channel().config().setAutoRead(false);
      if (busy) {
        pipelined.add(collected);
      } else {
        begin(ctx, collected);
      }
    }
  }

  private void begin(ChannelHandlerContext ctx, RequestCollector.Collected collected) {
    busy = true;
    // Count first, then look at the flag: stop() sees every exchange that got past this point.
    exchanges.started();
    if (exchanges.draining()) {
      write(ctx, HttpAnswer.text(503, "shutting down").withHeader("Retry-After", "1"), false, true);
    } else {
      dispatch(ctx, collected);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent && !busy) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  private void dispatch(ChannelHandlerContext ctx, RequestCollector.Collected collected) {
    Runnable work = () -> serve(collected.request()).whenComplete((answer, error) -> {
      if (error != null) {
        LOG.error("HTTP service failed", error);
        write(ctx, HttpAnswer.text(500, "internal error"), false, true);
      } else {
        write(ctx, answer, collected.keepAlive(), true);
      }
    });
    if (onIoThread(collected.request())) {
      work.run();
      return;
    }
    try {
      workers.execute(work);
    } catch (RejectedExecutionException e) {
      // Only when the pool is shut down: answer so the exchange still ends.
      write(ctx, HttpAnswer.text(503, "shutting down").withHeader("Retry-After", "1"), false, true);
    }
  }

  private boolean onIoThread(ReceivedRequest request) {
    try {
      return service.servesOnIoThread(request);
    } catch (RuntimeException e) {
      LOG.warn("HTTP service could not say where to serve a request; using a worker", e);
      return false;
    }
  }

  private CompletableFuture<HttpAnswer> serve(ReceivedRequest request) {
    try {
      return service.serve(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void write(ChannelHandlerContext ctx, HttpAnswer answer, boolean keepAlive, boolean counted) {
    FullHttpResponse response = response(answer, keepAlive);
    ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
      if (counted) {
        exchanges.finished();
      }
      busy = false;
      if (!keepAlive || !written.isSuccess()) {
        written.channel().close();
      } else if (!pipelined.isEmpty()) {
        begin(ctx, pipelined.poll());
      } else {
        written.channel().config().setAutoRead(true);
      }
    });
  }

  static FullHttpResponse response(HttpAnswer answer, boolean keepAlive) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    answer.headers().forEach((name, value) -> response.headers().set(name, value));
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
    response.headers().set(HttpHeaderNames.CONNECTION,
        keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets, TLS handshake refusals (e.g. no client certificate under mTLS): nothing to answer.
    LOG.debug("closing HTTP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
