package io.tracemetrics.bench.gateway;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/** OTLP/gRPC Export of already-encoded request bytes (no re-encoding in the load generator). */
final class GrpcCall implements LoadCall {
  private static final MethodDescriptor<byte[], ExportTraceServiceResponse> EXPORT =
      TraceServiceGrpc.getExportMethod().toBuilder(new RawBytes(),
          ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance())).build();

  private final ManagedChannel channel;

  GrpcCall(ManagedChannel channel) {
    this.channel = channel;
  }

  @Override
  public boolean send(byte[] request) {
    try {
      ClientCalls.blockingUnaryCall(channel, EXPORT, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
          request);
      return true;
    } catch (StatusRuntimeException e) {
      return false;
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
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
