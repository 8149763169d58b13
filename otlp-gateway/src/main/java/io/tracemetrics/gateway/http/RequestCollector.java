package io.tracemetrics.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.tracemetrics.gateway.http.ReceivedRequest.BodyProblem;
import io.tracemetrics.gateway.ingest.InFlightLimiter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Turns the codec's request head and content chunks into one {@link ReceivedRequest}, copying each body
 * byte once: into an array of the declared length as the chunks arrive (the read buffers go back to the
 * pool at once), or, for chunked and large declared bodies, from the chunks kept as they arrived into an
 * array at the end (so a client cannot make the gateway allocate the limit just by declaring it). The
 * body limit holds for declared and chunked bodies alike; bytes held here count against a budget shared by
 * all connections, so many slow uploads cannot take more memory than that budget. A refused body is read
 * and dropped up to a bound, so the client gets the answer instead of a reset; beyond the bound the answer
 * is sent at once and the connection closed.
 */
final class RequestCollector extends ChannelInboundHandlerAdapter {
  /** Declared lengths up to this are copied into an array of that size as they arrive. */
  static final int PREALLOCATE_BYTES = 1 << 20;

  private final int maxBodyBytes;
  private final long discardBytes;
  private final InFlightLimiter budget;

  @Nullable private HttpRequest head;
  @Nullable private byte[] declared;
  private final List<ByteBuf> chunks = new ArrayList<>();
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
    long length = HttpUtil.getContentLength(request, -1L);
    if (length > maxBodyBytes) {
      problem = BodyProblem.TOO_LARGE;
    } else if (length > 0 && length <= PREALLOCATE_BYTES) {
      if (budget.tryAcquire(length)) {
        reserved = length;
        declared = new byte[(int) length];
      } else {
        problem = BodyProblem.OVER_BUDGET;
      }
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
      keep(content, n);
    }
    if (problem != BodyProblem.NONE && seen > discardBytes) {
      gaveUp = true;   // the client keeps sending: answer now, the connection closes after the answer
      finish(ctx, true);
    } else if (content instanceof LastHttpContent) {
      finish(ctx, false);
    }
  }

  private void keep(HttpContent content, int n) {
    ByteBuf data = content.content();
    if (declared != null) {
      // The codec never passes more than the declared length; seen counts up to it.
      data.getBytes(data.readerIndex(), declared, (int) (seen - n), n);
      return;
    }
    if (seen > maxBodyBytes) {
      problem = BodyProblem.TOO_LARGE;
    } else if (!budget.tryAcquire(n)) {
      problem = BodyProblem.OVER_BUDGET;
    } else {
      reserved += n;
      chunks.add(data.retain());
      return;
    }
    releaseBody();
  }

  private void finish(ChannelHandlerContext ctx, boolean closeAfter) {
    HttpRequest request = head;
    byte[] bytes = problem == BodyProblem.NONE ? collected() : null;
    BodyProblem refused = problem;
    reset();
    ReceivedRequest received = received(request, bytes, refused);
    ctx.fireChannelRead(received == null ? Malformed.INSTANCE : new Collected(received,
        HttpUtil.isKeepAlive(request) && !closeAfter));
  }

  @Nullable
  private byte[] collected() {
    if (declared != null) {
      byte[] whole = declared;
      declared = null;
      return whole;
    }
    if (chunks.isEmpty()) {
      return null;
    }
    byte[] whole = new byte[(int) seen];
    int at = 0;
    for (ByteBuf chunk : chunks) {
      int n = chunk.readableBytes();
      chunk.getBytes(chunk.readerIndex(), whole, at, n);
      at += n;
    }
    return whole;
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
    for (ByteBuf chunk : chunks) {
      chunk.release();
    }
    chunks.clear();
    declared = null;
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
