package io.tracemetrics.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tracemetrics.gateway.ingest.TestTraces;
import io.tracemetrics.gateway.kafka.InMemoryPublisher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole gateway on real sockets, with an in-memory publisher in place of Kafka. */
class OtlpGatewayTest {
  private static final String TOKEN = "t0ken";
  private final InMemoryPublisher publisher = new InMemoryPublisher(64 * 1024);
  private final AtomicBoolean kafkaUp = new AtomicBoolean(true);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private OtlpGateway gateway;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    gateway = OtlpGateway.builder()
        .bindAddress("127.0.0.1").grpcPort(0).httpPort(0).healthPort(0).metricsPort(0)
        .maxMessageBytes(256 * 1024)
        .sendTimeout(Duration.ofMillis(500))
        .retryAfterSeconds(3)
        .authToken(TOKEN)
        .corsAllowedOrigins(java.util.List.of("https://ui.example"))
        .recordPublisher(publisher)
        .kafkaProbe(kafkaUp::get)
        .build()
        .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    gateway.close();
  }

  @Test
  void httpProtobufIsAcknowledgedAfterPublishingTheBodyUnchanged() throws Exception {
    byte[] body = TestTraces.request(2, 1, 3, 10).toByteArray();

    HttpResponse<byte[]> response = post("application/x-protobuf", null, body, true);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
    assertThat(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
    assertThat(publisher.values()).containsExactly(body);
    assertThat(gateway.metrics().spansAccepted("http")).isEqualTo(6);
  }

  @Test
  void httpGzipBodyIsDecompressed() throws Exception {
    byte[] body = TestTraces.request(1, 1, 2, 10).toByteArray();

    HttpResponse<byte[]> response = post("application/x-protobuf", "gzip", gzip(body), true);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(publisher.values()).containsExactly(body);
  }

  @Test
  void httpJsonIsTranscodedToProtobufAndAnsweredInJson() throws Exception {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
        + "\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"a\",\"kind\":2}]}]}]}";

    HttpResponse<byte[]> response = post("application/json", null, json.getBytes(StandardCharsets.UTF_8), true);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    ExportTraceServiceRequest published = ExportTraceServiceRequest.parseFrom(publisher.values().get(0));
    assertThat(published.getResourceSpans(0).getScopeSpans(0).getSpans(0).getSpanId().size()).isEqualTo(8);
  }

  @Test
  void legacyJsonIsTranscodedAndUnknownFieldsAreReportedInPartialSuccess() throws Exception {
    String json = "{\"resourceSpans\":[{\"instrumentationLibrarySpans\":[{\"instrumentationLibrary\":"
        + "{\"name\":\"old-lib\"},\"spans\":[{\"name\":\"a\",\"status\":{\"deprecatedCode\":2}}]}],"
        + "\"scopeSpan\":[{\"spans\":[{\"name\":\"typo\"},{\"name\":\"typo2\"}]}]}]}";

    HttpResponse<byte[]> response = post("application/json", null, json.getBytes(StandardCharsets.UTF_8), true);

    assertThat(response.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse.Builder answer = ExportTraceServiceResponse.newBuilder();
    JsonFormat.parser().merge(new String(response.body(), StandardCharsets.UTF_8), answer);
    assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(answer.getPartialSuccess().getErrorMessage())
        .contains("resourceSpans[0].scopeSpan").contains("instrumentationLibrarySpans");
    ExportTraceServiceRequest published = ExportTraceServiceRequest.parseFrom(publisher.values().get(0));
    ScopeSpans scope = published.getResourceSpans(0).getScopeSpans(0);
    assertThat(scope.getScope().getName()).isEqualTo("old-lib");
    assertThat(scope.getSpans(0).getStatus().getCode()).isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(gateway.metrics().spansAccepted("http")).isEqualTo(1);
    assertThat(gateway.metrics().spansRefused("http", "unknown_json_field")).isEqualTo(2);
    assertThat(gateway.metrics().legacyFieldsTranscoded("instrumentationLibrarySpans")).isEqualTo(1);
    assertThat(gateway.metrics().jsonFieldsIgnored("unknown_field")).isEqualTo(1);
  }

  @Test
  void jsonWhoseSpansWereAllIgnoredIsRefusedNotAcknowledged() throws Exception {
    String logs = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"x\"}}]}]}]}";

    HttpResponse<byte[]> response = post("application/json", null, logs.getBytes(StandardCharsets.UTF_8), true);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("no spans accepted").contains("resourceLogs");
    assertThat(publisher.values()).isEmpty();
  }

  @Test
  void httpRefusalsHaveTheirStatusAndNothingIsPublished() throws Exception {
    byte[] valid = TestTraces.request(1, 1, 1, 0).toByteArray();

    assertThat(post("application/x-protobuf", null, new byte[] {(byte) 0xff, 1, 2}, true).statusCode())
        .isEqualTo(400);
    assertThat(post("text/plain", null, valid, true).statusCode()).isEqualTo(415);
    assertThat(post("application/x-protobuf", "br", valid, true).statusCode()).isEqualTo(415);
    assertThat(post("application/x-protobuf", null, new byte[300 * 1024], true).statusCode()).isEqualTo(413);
    assertThat(post("application/x-protobuf", "gzip", gzip(new byte[300 * 1024]), true).statusCode())
        .isEqualTo(413);
    HttpResponse<byte[]> unauthenticated = post("application/x-protobuf", null, valid, false);
    assertThat(unauthenticated.statusCode()).isEqualTo(401);
    assertThat(unauthenticated.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    HttpResponse<byte[]> get = send(HttpRequest.newBuilder(httpUri("/v1/traces")).GET().build());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(send(HttpRequest.newBuilder(httpUri("/v1/logs"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(valid)).build()).statusCode()).isEqualTo(404);
    assertThat(publisher.values()).isEmpty();
    assertThat(gateway.metrics().requests("http", "415")).isEqualTo(2);
  }

  @Test
  void httpBadProtobufAnswersWithAStatusBody() throws Exception {
    HttpResponse<byte[]> response = post("application/x-protobuf", null, new byte[] {(byte) 0xff, 1, 2}, true);

    assertThat(com.google.rpc.Status.parseFrom(response.body()).getCode())
        .isEqualTo(com.google.rpc.Code.INVALID_ARGUMENT_VALUE);
  }

  @Test
  void httpKafkaFailureIs503WithRetryAfter() throws Exception {
    publisher.mode(InMemoryPublisher.Mode.FAIL);

    HttpResponse<byte[]> response = post("application/x-protobuf", null,
        TestTraces.request(1, 1, 5, 0).toByteArray(), true);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
    assertThat(gateway.metrics().spansRefused("http", "kafka_unavailable")).isEqualTo(5);
  }

  @Test
  void httpKafkaTimeoutIs503() throws Exception {
    publisher.mode(InMemoryPublisher.Mode.NEVER_ANSWER);

    assertThat(post("application/x-protobuf", null, TestTraces.request(1, 1, 1, 0).toByteArray(), true)
        .statusCode()).isEqualTo(503);
  }

  @Test
  void httpCorsPreflightAndHeaders() throws Exception {
    HttpResponse<byte[]> preflight = send(HttpRequest.newBuilder(httpUri("/v1/traces"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://ui.example").header("Access-Control-Request-Method", "POST").build());

    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://ui.example");
  }

  @Test
  void grpcExportIsAcknowledgedAndPublished() {
    ExportTraceServiceRequest request = TestTraces.request(1, 2, 3, 10);

    ExportTraceServiceResponse response = stub(true).withCompression("gzip").export(request);

    assertThat(response).isNotNull();
    assertThat(publisher.values()).containsExactly(request.toByteArray());
    // The call is counted right after its answer went out, so the client can be a moment ahead.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (gateway.metrics().requests("grpc", "OK") == 0 && System.nanoTime() < deadline) {
      Thread.yield();
    }
    assertThat(gateway.metrics().requests("grpc", "OK"))
        .as("gRPC requests counted OK within 5 s of the answer").isEqualTo(1);
  }

  @Test
  void grpcKafkaFailureIsUnavailableWithRetryInfo() {
    publisher.mode(InMemoryPublisher.Mode.FAIL);

    assertThatThrownBy(() -> stub(true).export(TestTraces.request(1, 1, 1, 0)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(StatusProto.fromThrowable(e).getDetailsList()).anyMatch(d -> d.is(RetryInfo.class));
        });
  }

  @Test
  void grpcUndecodableRequestIsInvalidArgument() {
    MethodDescriptor<byte[], byte[]> raw = TraceServiceGrpc.getExportMethod()
        .toBuilder(new RawMarshaller(), new RawMarshaller()).build();

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, raw,
            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
            new byte[] {(byte) 0xff, (byte) 0xff, 1}))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThat(gateway.metrics().requests("grpc", "UNAUTHENTICATED")).isEqualTo(1);

    Metadata auth = new Metadata();
    auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(
            io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(auth)), raw,
            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
            new byte[] {(byte) 0xff, (byte) 0xff, 1}))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(publisher.values()).isEmpty();
  }

  @Test
  void healthAnswersServerAvailableWhenKafkaIsReachable() throws Exception {
    HttpResponse<byte[]> up = send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.healthPort() + "/health/status")).build());
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(new String(up.body(), StandardCharsets.UTF_8)).startsWith("{\"status\":\"Server available\",\"upSince\":\"");
  }

  @Test
  void metricsEndpointExposesTheSelfMetrics() throws Exception {
    post("application/x-protobuf", null, TestTraces.request(1, 1, 2, 0).toByteArray(), true);

    HttpResponse<byte[]> metrics = send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.metricsPort() + "/metrics")).build());

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(new String(metrics.body(), StandardCharsets.UTF_8)).contains(
        "otlp_gateway_spans_accepted_total{protocol=\"http\"} 2",
        "otlp_gateway_requests_total{protocol=\"http\",code=\"200\"} 1",
        "otlp_gateway_kafka_send_duration_seconds_count 1",
        "otlp_gateway_in_flight_bytes 0");
  }

  @Test
  void closeClosesThePublisher() {
    gateway.close();

    assertThat(publisher.closed()).isTrue();
  }

  private TraceServiceGrpc.TraceServiceBlockingStub stub(boolean authenticated) {
    Metadata headers = new Metadata();
    if (authenticated) {
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
    }
    return TraceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  private HttpResponse<byte[]> post(String contentType, String encoding, byte[] body, boolean authenticated)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(httpUri("/v1/traces"))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      request.header("Content-Encoding", encoding);
    }
    if (authenticated) {
      request.header("Authorization", "Bearer " + TOKEN);
    }
    return send(request.build());
  }

  private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private URI httpUri(String path) {
    return URI.create("http://127.0.0.1:" + gateway.httpPort() + path);
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(plain);
    }
    return out.toByteArray();
  }

  private static final class RawMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
