package io.tracemetrics.bench.compare.load;

/** Where the stack under test receives OTLP: its OTLP/HTTP port ({@code POST /v1/traces}) and OTLP/gRPC port. */
public record Endpoint(String host, int httpPort, int grpcPort) {
  public Endpoint {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (httpPort < 0 || httpPort > 65_535 || grpcPort < 0 || grpcPort > 65_535) {
      throw new IllegalArgumentException("ports must be in 0..65535 (0: not used), got http " + httpPort
          + ", grpc " + grpcPort);
    }
  }
}
