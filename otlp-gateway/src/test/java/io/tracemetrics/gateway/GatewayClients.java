package io.tracemetrics.gateway;

import com.google.common.io.ByteStreams;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Plain clients of a running gateway, for the tests that need to see raw answers (status, headers, body)
 * which an OpenTelemetry exporter would hide: the JDK HTTP client, and a gRPC call that sends any bytes.
 */
final class GatewayClients implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final OtlpGateway gateway;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final ManagedChannel channel;
  private final MethodDescriptor<byte[], ExportTraceServiceResponse> rawExport;

  GatewayClients(OtlpGateway gateway) {
    this.gateway = gateway;
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
    this.rawExport = TraceServiceGrpc.getExportMethod().toBuilder(new RawBytes(),
        ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance())).build();
  }

  URI tracesUri() {
    return uri(gateway.httpPort(), "/v1/traces");
  }

  URI healthUri() {
    return uri(gateway.healthPort(), "/health/status");
  }

  static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** POSTs {@code body} to {@code /v1/traces}; {@code contentEncoding} may be null. */
  HttpResponse<byte[]> postTraces(String contentType, String contentEncoding, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(tracesUri())
        .timeout(TIMEOUT)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentEncoding != null) {
      request.header("Content-Encoding", contentEncoding);
    }
    return send(request.build());
  }

  HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("request " + request + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  int healthStatus() {
    return send(HttpRequest.newBuilder(healthUri()).timeout(TIMEOUT).GET().build()).statusCode();
  }

  /** Sends {@code body} as the Export message, whatever it holds: OK, or the error with its trailers. */
  GrpcAnswer exportGrpc(byte[] body) {
    try {
      ClientCalls.blockingUnaryCall(channel, rawExport,
          CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), body);
      return new GrpcAnswer(Status.OK, new Metadata());
    } catch (StatusRuntimeException e) {
      return new GrpcAnswer(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
    }
  }

  /** A gRPC answer and its trailers (which carry the {@code google.rpc.Status} details, if any). */
  record GrpcAnswer(Status status, Metadata trailers) {
    Status.Code code() {
      return status.getCode();
    }

    /** The delay of a {@code google.rpc.RetryInfo} detail, or -1 without one. */
    long retryDelaySeconds() {
      com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
      if (details == null) {
        return -1;
      }
      for (com.google.protobuf.Any any : details.getDetailsList()) {
        if (any.is(com.google.rpc.RetryInfo.class)) {
          try {
            return any.unpack(com.google.rpc.RetryInfo.class).getRetryDelay().getSeconds();
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("bad RetryInfo detail", e);
          }
        }
      }
      return -1;
    }
  }

  @Override
  public void close() {
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return ByteStreams.toByteArray(stream);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
