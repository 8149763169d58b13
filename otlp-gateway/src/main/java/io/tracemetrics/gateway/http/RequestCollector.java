package io.tracemetrics.gateway.http;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.tracemetrics.gateway.http.ReceivedRequest.BodyProblem;
import io.tracemetrics.gateway.ingest.InFlightLimiter;
import java.net.URI;
import javax.annotation.Nullable;

/**
 * Turns the codec's request head and content chunks into one {@link ReceivedRequest}. Chunks are kept
 * as they arrived (no copy) and copied once into the body array at the end. The body limit holds for
 * declared and chunked bodies alike; bytes held here count against a budget shared by all connections,
 * so many slow uploads cannot take more memory than that budget. A refused body is read and dropped up to
 * a bound, so the client gets the answer instead of a reset; beyond the bound the answer is sent at once
 * and the connection closed.
 */
final class RequestCollector extends ChannelInboundHandlerAdapter {
  private final int maxBodyBytes;
  private final long discardBytes;
  private final InFlightLimiter budget;

  @Nullable private HttpRequest head;
  @Nullable private CompositeByteBuf body;
  private BodyProblem problem = BodyProblem.NONE;
  private long seen;
  private long reserved;
  private boolean gaveUp;

  RequestCollector(int maxBodyBytes, InFlightLimiter budget) {
    this.maxBodyBytes = maxBodyBytes;
    this.discardBytes = 2L * maxBodyBytes + (1 << 20);
    this.budget = budget;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      start(ctx, request);
    }
    if (msg instanceof HttpContent content) {
      try {
        if (head != null && !gaveUp) {
          append(ctx, content);
        }
      } finally {
        content.release();
      }
    }
  }

  private void start(ChannelHandlerContext ctx, HttpRequest request) {
    reset();
    if (request.decoderResult().isFailure()) {
      ctx.fireChannelRead(Malformed.INSTANCE);
      gaveUp = true;
      return;
    }
    head = request;
    gaveUp = false;
    if (HttpUtil.getContentLength(request, -1L) > maxBodyBytes) {
      problem = BodyProblem.TOO_LARGE;
    }
  }

  private void append(ChannelHandlerContext ctx, HttpContent content) {
    if (content.decoderResult().isFailure()) {
      reset();
      gaveUp = true;
      ctx.fireChannelRead(Malformed.INSTANCE);
      return;
    }
    int n = content.content().readableBytes();
    seen += n;
    if (problem == BodyProblem.NONE && n > 0) {
      keep(ctx, content, n);
    }
    if (problem != BodyProblem.NONE && seen > discardBytes) {
      gaveUp = true;   // the client keeps sending: answer now, the connection closes after the answer
      finish(ctx, true);
    } else if (content instanceof LastHttpContent) {
      finish(ctx, false);
    }
  }

  private void keep(ChannelHandlerContext ctx, HttpContent content, int n) {
    if (seen > maxBodyBytes) {
      problem = BodyProblem.TOO_LARGE;
    } else if (!budget.tryAcquire(n)) {
      problem = BodyProblem.OVER_BUDGET;
    } else {
      reserved += n;
      if (body == null) {
        body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
      }
      body.addComponent(true, content.content().retain());
      return;
    }
    releaseBody();
  }

  private void finish(ChannelHandlerContext ctx, boolean closeAfter) {
    HttpRequest request = head;
    byte[] bytes = null;
    if (problem == BodyProblem.NONE && body != null) {
      bytes = new byte[body.readableBytes()];
      body.getBytes(body.readerIndex(), bytes);
    }
    BodyProblem refused = problem;
    reset();
    ReceivedRequest received = received(request, bytes, refused);
    ctx.fireChannelRead(received == null ? Malformed.INSTANCE : new Collected(received,
        HttpUtil.isKeepAlive(request) && !closeAfter));
  }

  @Nullable
  private static ReceivedRequest received(HttpRequest request, @Nullable byte[] body, BodyProblem problem) {
    String path;
    try {
      path = URI.create(request.uri()).getPath();
    } catch (IllegalArgumentException e) {
      return null;
    }
    return new ReceivedRequest(request.method().name(), path == null ? "" : path, request.headers(), body,
        problem);
  }

  private void reset() {
    releaseBody();
    head = null;
    problem = BodyProblem.NONE;
    seen = 0;
  }

  private void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
    budget.release(reserved);
    reserved = 0;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    reset();
    ctx.fireChannelInactive();
  }

  /** A request and whether the connection may carry another one after its answer. */
  record Collected(ReceivedRequest request, boolean keepAlive) {}

  /** The request could not be parsed: answered 400, then the connection is closed. */
  enum Malformed { INSTANCE }
}
