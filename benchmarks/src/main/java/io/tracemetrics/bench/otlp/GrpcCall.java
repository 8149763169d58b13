package io.tracemetrics.bench.otlp;

import io.grpc.CallOptions;
import io.grpc.ClientStreamTracer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC Export of already-encoded request bytes (no re-encoding in the load generator), one blocking
 * unary call at a time.
 *
 * <p>gRPC reports a status for transport failures too, so a stream tracer tells them apart: a status the
 * server sent (trailers or headers arrived) is its answer; a failure before the request message reached the
 * transport means nothing was sent ({@link SendOutcome#CONNECT_REFUSED}); anything else is
 * {@link SendOutcome#NO_ANSWER}.
 */
public final class GrpcCall implements LoadCall {
  private static final MethodDescriptor<byte[], ExportTraceServiceResponse> EXPORT =
      TraceServiceGrpc.getExportMethod().toBuilder(new RawBytes(),
          ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance())).build();

  private final ManagedChannel channel;
  private final long timeoutNanos;

  public GrpcCall(ManagedChannel channel) {
    this(channel, Duration.ofSeconds(60));
  }

  /** @param timeout the deadline of each call */
  public GrpcCall(ManagedChannel channel, Duration timeout) {
    this.channel = channel;
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public SendOutcome send(byte[] request) {
    Witness witness = new Witness();
    try {
      ClientCalls.blockingUnaryCall(channel, EXPORT, CallOptions.DEFAULT
          .withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
          .withStreamTracerFactory(witness), request);
      return SendOutcome.grpc(Status.Code.OK);
    } catch (StatusRuntimeException e) {
      if (witness.answered) {
        return SendOutcome.grpc(e.getStatus().getCode());
      }
      return witness.written ? SendOutcome.NO_ANSWER : SendOutcome.CONNECT_REFUSED;
    }
  }

  /** Sees, for one call, whether the request message reached a transport and whether the server answered. */
  private static final class Witness extends ClientStreamTracer.Factory {
    private volatile boolean written;
    private volatile boolean answered;

    @Override
    public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
      return new ClientStreamTracer() {
        @Override
        public void outboundMessage(int seqNo) {
          written = true;
        }

        @Override
        public void inboundHeaders() {
          answered = true;
        }

        @Override
        public void inboundTrailers(Metadata trailers) {
          answered = true;
        }
      };
    }
  }

  /** Message bytes as they are, both ways: requests encoded once, or a test server reading what came. */
  public static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
