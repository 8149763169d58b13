package io.tracemetrics.gateway;


/** Gateways for the tests: loopback only, every port picked free, one topic per test. */
final class TestGateways {
  private TestGateways() {}

  static OtlpGateway.Builder builder(String bootstrapServers, String topic) {
    return OtlpGateway.builder()
        .kafkaBootstrapServers(bootstrapServers)
        .topic(topic)
        .bindAddress("127.0.0.1")
        .grpcPort(0)
        .httpPort(0)
        .healthPort(0)
        .metricsPort(0);
  }
}
