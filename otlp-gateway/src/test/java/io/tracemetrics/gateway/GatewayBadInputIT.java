package io.tracemetrics.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tracemetrics.gateway.TopicContent.Received;
import io.tracemetrics.testsupport.junit.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A table of bad requests against the real gateway and broker: each gets its status (and a
 * {@code google.rpc.Status} body in the request's encoding where OTLP says so), none reaches Kafka, and the
 * gateway stays healthy and keeps taking good data.
 */
class GatewayBadInputIT {
  private static final int MAX_MESSAGE_BYTES = 64 * 1024;
  private static final int MAX_RECORD_BYTES = 16 * 1024;
  private static final String TOPIC = "bad-input";
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  /** How the error body must look. */
  enum Body { PROTOBUF_STATUS, JSON_STATUS, TEXT }

  /** One bad OTLP/HTTP request and its expected answer. */
  record HttpCase(String name, String method, String path, String contentType, String encoding,
      byte[] body, boolean chunked, int status, Body answerBody) {}

  /** A valid request, over {@link #MAX_MESSAGE_BYTES}. */
  private static byte[] tooLarge() {
    return TestTraces.request("too-large", 1, 1, 400, 200).toByteArray();
  }

  static List<HttpCase> httpCases() throws IOException {
    byte[] tooLarge = tooLarge();
    byte[] oneHugeSpan = TestTraces.request("huge-span", 1, 1, 1, 20_000).toByteArray();
    return List.of(
        new HttpCase("garbage protobuf", "POST", "/v1/traces", PROTOBUF, null,
            new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01}, false, 400, Body.PROTOBUF_STATUS),
        new HttpCase("bad JSON", "POST", "/v1/traces", JSON, null,
            "{\"resourceSpans\": [".getBytes(UTF_8), false, 400, Body.JSON_STATUS),
        new HttpCase("JSON trace id not hex", "POST", "/v1/traces", JSON, null,
            OtlpJsonSample.REQUEST.replace("5b8efff798038103d269b633813fc60c", "zz8efff798038103d269b633813fc60c")
                .getBytes(UTF_8), false, 400, Body.JSON_STATUS),
        new HttpCase("body says gzip but is not", "POST", "/v1/traces", PROTOBUF, "gzip",
            "not gzip at all".getBytes(UTF_8), false, 400, Body.PROTOBUF_STATUS),
        new HttpCase("wrong content type", "POST", "/v1/traces", "text/plain", null,
            "hello".getBytes(UTF_8), false, 415, Body.TEXT),
        new HttpCase("unsupported content encoding", "POST", "/v1/traces", PROTOBUF, "br",
            new byte[] {1, 2, 3}, false, 415, Body.PROTOBUF_STATUS),
        new HttpCase("GET", "GET", "/v1/traces", null, null, null, false, 405, Body.TEXT),
        new HttpCase("other path", "POST", "/v1/metrics", PROTOBUF, null,
            new byte[0], false, 404, Body.PROTOBUF_STATUS),
        new HttpCase("body over the limit", "POST", "/v1/traces", PROTOBUF, null,
            tooLarge, false, 413, Body.PROTOBUF_STATUS),
        new HttpCase("chunked body over the limit", "POST", "/v1/traces", PROTOBUF, null,
            tooLarge, true, 413, Body.PROTOBUF_STATUS),
        new HttpCase("gzip bomb", "POST", "/v1/traces", PROTOBUF, "gzip",
            gzip(new byte[32 * 1024 * 1024]), false, 413, Body.PROTOBUF_STATUS),
        new HttpCase("one span larger than a record", "POST", "/v1/traces", PROTOBUF, null,
            oneHugeSpan, false, 413, Body.PROTOBUF_STATUS));
  }

  @Test
  void badInputGetsItsAnswerNeverReachesKafkaAndGoodDataStillDoes() throws Exception {
    KAFKA.broker().createTopic(TOPIC, 2);
    List<HttpCase> cases = httpCases();
    ExportTraceServiceRequest goodHttp = TestTraces.request("good-http", 1, 1, 5, 0);
    ExportTraceServiceRequest goodGrpc = TestTraces.request("good-grpc", 1, 1, 5, 0);
    try (OtlpGateway gateway = TestGateways.builder(KAFKA.bootstrapServers(), TOPIC)
            .maxMessageBytes(MAX_MESSAGE_BYTES)
            .maxRecordBytes(MAX_RECORD_BYTES)
            .build()
            .start();
        GatewayClients clients = new GatewayClients(gateway)) {
      SoftAssertions softly = new SoftAssertions();
      for (HttpCase c : cases) {
        checkHttp(softly, clients, gateway, c);
      }
      softly.assertThat(clients.exportGrpc(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, 0x0f}).code())
          .as("gRPC garbage").isEqualTo(Status.Code.INVALID_ARGUMENT);
      softly.assertThat(clients.exportGrpc(TestTraces.request("huge-span", 1, 1, 1, 20_000).toByteArray()).code())
          .as("gRPC span larger than a record").isEqualTo(Status.Code.INVALID_ARGUMENT);
      softly.assertThat(clients.exportGrpc(tooLarge()).code())
          .as("gRPC message over the limit").isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      softly.assertAll();

      assertThat(clients.healthStatus()).isEqualTo(200);
      assertThat(clients.postTraces(PROTOBUF, null, goodHttp.toByteArray()).statusCode()).isEqualTo(200);
      assertThat(clients.postTraces(JSON, null, OtlpJsonSample.REQUEST.getBytes(UTF_8)).statusCode())
          .isEqualTo(200);
      assertThat(clients.exportGrpc(goodGrpc.toByteArray()).code()).isEqualTo(Status.Code.OK);
    }

    // Every answer above came after the bad requests' answers, so anything they wrote would be here too.
    List<Received> records = TopicContent.readAll(KAFKA.bootstrapServers(), TOPIC);
    List<SpanView> good = new ArrayList<>(SpanView.of(TracesData.parseFrom(goodHttp.toByteArray())));
    good.addAll(OtlpJsonSample.expectedSpans());
    good.addAll(SpanView.of(TracesData.parseFrom(goodGrpc.toByteArray())));
    assertThat(records).hasSize(3);
    assertThat(TopicContent.spans(records)).containsExactlyInAnyOrderElementsOf(good);
  }

  private static void checkHttp(SoftAssertions softly, GatewayClients clients, OtlpGateway gateway, HttpCase c) {
    HttpRequest.Builder request = HttpRequest.newBuilder(GatewayClients.uri(gateway.httpPort(), c.path()))
        .timeout(Duration.ofSeconds(30));
    if (c.contentType() != null) {
      request.header("Content-Type", c.contentType());
    }
    if (c.encoding() != null) {
      request.header("Content-Encoding", c.encoding());
    }
    if (c.body() == null) {
      request.method(c.method(), HttpRequest.BodyPublishers.noBody());
    } else if (c.chunked()) {
      request.method(c.method(), HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(c.body())));
    } else {
      request.method(c.method(), HttpRequest.BodyPublishers.ofByteArray(c.body()));
    }
    HttpResponse<byte[]> answer = clients.send(request.build());
    softly.assertThat(answer.statusCode()).as(c.name() + ": status").isEqualTo(c.status());
    if (c.status() == 405) {
      softly.assertThat(answer.headers().firstValue("Allow")).as(c.name() + ": Allow").hasValue("POST");
    }
    String contentType = answer.headers().firstValue("Content-Type").orElse("");
    switch (c.answerBody()) {
      case PROTOBUF_STATUS -> {
        softly.assertThat(contentType).as(c.name() + ": content type").isEqualTo(PROTOBUF);
        softly.assertThat(protobufStatus(answer.body()).getMessage()).as(c.name() + ": Status message").isNotBlank();
      }
      case JSON_STATUS -> {
        softly.assertThat(contentType).as(c.name() + ": content type").isEqualTo(JSON);
        softly.assertThat(jsonStatus(answer.body()).getMessage()).as(c.name() + ": Status message").isNotBlank();
      }
      case TEXT -> softly.assertThat(contentType).as(c.name() + ": content type").startsWith("text/plain");
    }
  }

  private static com.google.rpc.Status protobufStatus(byte[] body) {
    try {
      return com.google.rpc.Status.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not a google.rpc.Status: " + new String(body, UTF_8), e);
    }
  }

  private static com.google.rpc.Status jsonStatus(byte[] body) {
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder();
    try {
      JsonFormat.parser().merge(new String(body, UTF_8), status);
      return status.build();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not a JSON google.rpc.Status: " + new String(body, UTF_8), e);
    }
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(plain);
    }
    return out.toByteArray();
  }
}
