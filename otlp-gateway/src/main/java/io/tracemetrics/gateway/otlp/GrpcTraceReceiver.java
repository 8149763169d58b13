package io.tracemetrics.gateway.otlp;

import com.google.common.io.ByteStreams;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tracemetrics.gateway.ingest.Outcome;
import io.tracemetrics.gateway.ingest.ScannedTraces;
import io.tracemetrics.gateway.ingest.TraceIngest;
import io.tracemetrics.gateway.ingest.TracesScanner;
import io.tracemetrics.gateway.metrics.GatewayMetrics;
import io.tracemetrics.gateway.metrics.RefusalLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC {@code TraceService/Export}. The request is taken as raw bytes (a byte marshaller instead of
 * the generated one) so that undecodable input is answered INVALID_ARGUMENT rather than grpc's INTERNAL,
 * and so a valid body is checked by the wire scanner and reaches Kafka without being decoded or re-encoded. The answer is sent from the Kafka callback: no
 * thread waits for the broker.
 */
public final class GrpcTraceReceiver implements ServerCalls.UnaryMethod<byte[], ExportTraceServiceResponse> {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcTraceReceiver.class);
  static final String PROTOCOL = "grpc";
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final TraceIngest ingest;
  private final GatewayMetrics metrics;
  private final RefusalLog refusals;
  private final ReceiverSettings settings;
  private final GrpcAnswers answers;

  public GrpcTraceReceiver(TraceIngest ingest, GatewayMetrics metrics, RefusalLog refusals,
      ReceiverSettings settings) {
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.refusals = Objects.requireNonNull(refusals, "refusals");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.answers = new GrpcAnswers(settings.retryAfterSeconds());
  }

  /**
   * Binds and starts a gRPC server with this receiver; {@code executor} runs the calls; TLS when
   * {@code tls} is given (a server context, with client authentication already configured in it).
   */
  public Server start(String host, int port, Executor executor, @Nullable SslContext tls) throws IOException {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .executor(executor)
        .maxInboundMessageSize(settings.maxMessageBytes())
        .addService(ServerInterceptors.intercept(serviceDefinition(), new AuthInterceptor()));
    if (tls != null) {
      builder.sslContext(tls);
    }
    return builder.build().start();
  }

  ServerServiceDefinition serviceDefinition() {
    MethodDescriptor<byte[], ExportTraceServiceResponse> export = TraceServiceGrpc.getExportMethod()
        .toBuilder(new RawBytesMarshaller(),
            ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
        .build();
    return ServerServiceDefinition.builder(TraceServiceGrpc.SERVICE_NAME)
        .addMethod(export, ServerCalls.asyncUnaryCall(this))
        .build();
  }

  @Override
  public void invoke(byte[] body, StreamObserver<ExportTraceServiceResponse> observer) {
    ScannedTraces traces;
    try {
      traces = TracesScanner.scan(body);
    } catch (InvalidProtocolBufferException e) {
      refusals.refused(PROTOCOL, "invalid", "undecodable request: " + e.getMessage());
      fail(observer, GrpcAnswers.status(Code.INVALID_ARGUMENT, "undecodable request: " + e.getMessage()));
      return;
    }
    ingest.export(PROTOCOL, traces).thenAccept(outcome -> answer(observer, outcome));
  }

  private void answer(StreamObserver<ExportTraceServiceResponse> observer, Outcome outcome) {
    if (outcome != Outcome.ACCEPTED) {
      fail(observer, answers.refusal(outcome));
      return;
    }
    try {
      observer.onNext(ExportTraceServiceResponse.getDefaultInstance());
      observer.onCompleted();
      metrics.requestAnswered(PROTOCOL, Status.Code.OK.name());
    } catch (RuntimeException e) {
      // The client went away (cancelled or deadline passed); its exporter retries on its own.
      metrics.requestAnswered(PROTOCOL, Status.Code.CANCELLED.name());
      LOG.debug("could not answer an export call", e);
    }
  }

  private void fail(StreamObserver<ExportTraceServiceResponse> observer, StatusRuntimeException error) {
    metrics.requestAnswered(PROTOCOL, error.getStatus().getCode().name());
    try {
      observer.onError(error);
    } catch (RuntimeException e) {
      LOG.debug("could not answer an export call", e);
    }
  }

  /** Refuses calls without the configured bearer token before the body is looked at. */
  private final class AuthInterceptor implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
        ServerCallHandler<Q, A> next) {
      if (settings.auth().allows(headers.get(AUTHORIZATION))) {
        return next.startCall(call, headers);
      }
      refusals.refused(PROTOCOL, "unauthenticated", "missing or wrong bearer token");
      metrics.requestAnswered(PROTOCOL, Status.Code.UNAUTHENTICATED.name());
      call.close(Status.UNAUTHENTICATED.withDescription("missing or wrong bearer token"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
  }

  /** Keeps the request as the bytes that came over the wire (already gunzipped by grpc). */
  private static final class RawBytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
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
