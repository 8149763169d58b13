package io.tracemetrics.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tracemetrics.gateway.ingest.TestTraces;
import io.tracemetrics.gateway.kafka.InMemoryPublisher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS on both OTLP ports: real handshakes on loopback with certificates made by openssl. */
class OtlpGatewayTlsTest {
  @TempDir static Path dir;
  private static TestCertificates pki;

  private final InMemoryPublisher publisher = new InMemoryPublisher(64 * 1024);
  private OtlpGateway gateway;
  private ManagedChannel channel;

  @BeforeAll
  static void createCertificates() throws Exception {
    pki = TestCertificates.create(dir);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void httpsExportIsAcknowledgedAndHealthAndMetricsStayPlain() throws Exception {
    start(false);
    byte[] body = TestTraces.request(1, 1, 2, 10).toByteArray();

    HttpResponse<String> response = export(client(pki.clientContext(null, null)), body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(publisher.values()).containsExactly(body);
    HttpClient plain = HttpClient.newHttpClient();
    assertThat(plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.metricsPort()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
  }

  @Test
  void plainHttpToTheTlsPortFails() throws Exception {
    start(false);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + "/v1/traces"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(TestTraces.request(1, 1, 1, 0).toByteArray())).build();

    assertThatThrownBy(() -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    assertThat(publisher.values()).isEmpty();
  }

  @Test
  void mutualTlsHttpRefusesClientsWithoutAValidCertificate() throws Exception {
    start(true);
    byte[] body = TestTraces.request(1, 1, 1, 0).toByteArray();

    assertThatThrownBy(() -> export(client(pki.clientContext(null, null)), body)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> export(client(pki.clientContext(pki.strangerCert, pki.strangerKey)), body))
        .isInstanceOf(IOException.class);
    assertThat(publisher.values()).isEmpty();

    HttpResponse<String> response = export(client(pki.clientContext(pki.clientCert, pki.clientKey)), body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(publisher.values()).containsExactly(body);
  }

  @Test
  void grpcOverTlsIsAcknowledged() throws Exception {
    start(false);
    ExportTraceServiceRequest request = TestTraces.request(1, 1, 3, 0);

    grpc(null, null).export(request);

    assertThat(publisher.values()).containsExactly(request.toByteArray());
  }

  @Test
  void mutualTlsGrpcRefusesClientsWithoutACertificate() throws Exception {
    start(true);
    ExportTraceServiceRequest request = TestTraces.request(1, 1, 1, 0);

    assertThatThrownBy(() -> grpc(null, null).export(request))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    assertThat(publisher.values()).isEmpty();

    grpc(pki.clientCert, pki.clientKey).export(request);

    assertThat(publisher.values()).containsExactly(request.toByteArray());
  }

  @Test
  void plaintextGrpcToTheTlsPortFails() throws Exception {
    start(false);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();

    assertThatThrownBy(() -> TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .export(TestTraces.request(1, 1, 1, 0)))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(publisher.values()).isEmpty();
  }

  @Test
  void invalidKeyFileFailsTheStartNamingTheFileButNotItsContent() throws Exception {
    Path badKey = dir.resolve("bad.key");
    String secret = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n";
    Files.writeString(badKey, secret);
    OtlpGateway bad = baseBuilder().tlsCertFile(pki.serverCert).tlsKeyFile(badKey).build();

    assertThatThrownBy(bad::start).isInstanceOf(TlsConfigException.class)
        .hasMessageContaining(badKey.toString()).hasMessageNotContaining("c2VjcmV0");
  }

  @Test
  void certificateWithoutKeyIsRefusedAtBuild() {
    assertThatThrownBy(() -> baseBuilder().tlsCertFile(pki.serverCert).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tls-key-file");
    assertThatThrownBy(() -> baseBuilder().tlsKeyFile(pki.serverKey).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tls-cert-file");
    assertThatThrownBy(() -> baseBuilder().tlsClientCaFile(pki.caCert).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tls-client-ca-file");
  }

  @Test
  void effectiveConfigurationShowsTheKeyPathButNotTheKey() throws Exception {
    String key = Files.readString(pki.serverKey);
    String keyBody = key.substring(key.indexOf('\n') + 1, key.indexOf('\n') + 41);
    GatewayOptions options = GatewayOptions.parse(new String[] {"--tls-cert-file=" + pki.serverCert,
        "--tls-key-file=" + pki.serverKey, "--tls-client-ca-file=" + pki.caCert}, Map.of());

    String described = options.describe();

    assertThat(described).contains("tls-key-file = " + pki.serverKey).doesNotContain(keyBody);
    assertThat(options.toBuilder().kafkaBootstrapServers("x:9092").build()).isNotNull();
  }

  private OtlpGateway.Builder baseBuilder() {
    return OtlpGateway.builder()
        .bindAddress("127.0.0.1").grpcPort(0).httpPort(0).healthPort(0).metricsPort(0)
        .sendTimeout(Duration.ofSeconds(2))
        .recordPublisher(publisher)
        .kafkaProbe(() -> true);
  }

  private void start(boolean mutual) throws IOException {
    OtlpGateway.Builder builder = baseBuilder().tlsCertFile(pki.serverCert).tlsKeyFile(pki.serverKey);
    if (mutual) {
      builder.tlsClientCaFile(pki.caCert);
    }
    gateway = builder.build().start();
  }

  private static HttpClient client(SSLContext context) {
    return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private HttpResponse<String> export(HttpClient client, byte[] body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.httpPort() + "/v1/traces"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private TraceServiceGrpc.TraceServiceBlockingStub grpc(@Nullable Path cert, @Nullable Path key)
      throws IOException {
    SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(pki.caCert.toFile());
    if (cert != null) {
      ssl.keyManager(cert.toFile(), key.toFile());
    }
    channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).sslContext(ssl.build()).build();
    return TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }
}
