package io.tracemetrics.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tracemetrics.gateway.TopicContent.Received;
import io.tracemetrics.testsupport.junit.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real clients → the real gateway → a real broker: what the clients sent is what the topic holds. */
class GatewayKafkaIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void javaSdkExportersOverGzipGrpcAndHttpProtobufArriveOneRecordPerExportSpanForSpanWithRegion()
      throws Exception {
    String topic = "java-sdk";
    KAFKA.broker().createTopic(topic, 3);
    List<SpanData> grpcBatch = sdkSpans("grpc", 30);
    List<SpanData> httpBatch = sdkSpans("http", 30);
    try (OtlpGateway gateway = gateway(topic).region("eu-west-1").build().start()) {
      SpanExporter grpc = OtlpGrpcSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + gateway.grpcPort())
          .setCompression("gzip")
          .build();
      SpanExporter http = OtlpHttpSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + gateway.httpPort() + "/v1/traces")
          .build();
      try {
        assertExported(grpc.export(grpcBatch), "OTLP/gRPC gzip");
        assertExported(http.export(httpBatch), "OTLP/HTTP protobuf");
      } finally {
        grpc.shutdown().join(10, TimeUnit.SECONDS);
        http.shutdown().join(10, TimeUnit.SECONDS);
      }
    }

    List<Received> records = TopicContent.readAll(KAFKA.bootstrapServers(), topic);
    assertThat(records).as("one record per export call").hasSize(2);
    assertThat(records).allSatisfy(r -> assertThat(r.headers()).containsExactly(Map.entry("region", "eu-west-1")));
    assertThat(recordStartingWith(records, "grpc-").spans())
        .containsExactlyInAnyOrderElementsOf(views(grpcBatch));
    assertThat(recordStartingWith(records, "http-").spans())
        .containsExactlyInAnyOrderElementsOf(views(httpBatch));
  }

  @Test
  void requestLargerThanARecordIsSplitAndEverySpanArrivesExactlyOnceUnderItsResourceAndScope()
      throws Exception {
    String topic = "split";
    KAFKA.broker().createTopic(topic, 3);
    int maxRecordBytes = 64 * 1024;
    ExportTraceServiceRequest overHttp = TestTraces.request("split-http", 3, 2, 150, 200);
    ExportTraceServiceRequest overGrpc = TestTraces.request("split-grpc", 2, 3, 120, 200);
    assertThat(overHttp.getSerializedSize()).isGreaterThan(3 * maxRecordBytes);
    try (OtlpGateway gateway = gateway(topic).maxRecordBytes(maxRecordBytes).build().start();
        GatewayClients clients = new GatewayClients(gateway)) {
      HttpResponse<byte[]> answer = clients.postTraces("application/x-protobuf", null, overHttp.toByteArray());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(clients.exportGrpc(overGrpc.toByteArray()).code()).isEqualTo(Status.Code.OK);
    }

    List<Received> records = TopicContent.readAll(KAFKA.bootstrapServers(), topic);
    assertThat(records).hasSizeGreaterThan(6);
    assertThat(records).allSatisfy(r -> {
      assertThat(r.valueBytes()).isLessThanOrEqualTo(maxRecordBytes - 1024);
      assertThat(r.data().getResourceSpansList()).extracting(ResourceSpans::getSchemaUrl)
          .containsOnly("https://opentelemetry.io/schemas/1.26.0");
    });
    List<SpanView> sent = new ArrayList<>(SpanView.of(TracesData.parseFrom(overHttp.toByteArray())));
    sent.addAll(SpanView.of(TracesData.parseFrom(overGrpc.toByteArray())));
    // Multiset equality: a span lost or written twice by the split fails here.
    assertThat(TopicContent.spans(records)).containsExactlyInAnyOrderElementsOf(sent);
  }

  @Test
  void otlpJsonWithHexIdsIsTranscodedToProtobufAndNoRegionHeaderWithoutARegion() throws Exception {
    String topic = "json";
    KAFKA.broker().createTopic(topic, 1);
    byte[] json = OtlpJsonSample.REQUEST.getBytes(UTF_8);
    try (OtlpGateway gateway = gateway(topic).build().start();
        GatewayClients clients = new GatewayClients(gateway)) {
      // An InputStream publisher has no length, so the body goes out chunked.
      HttpResponse<byte[]> answer = clients.send(HttpRequest.newBuilder(clients.tracesUri())
          .timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json)))
          .build());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(new String(answer.body(), UTF_8).strip()).isEqualTo("{}");
    }

    List<Received> records = TopicContent.readAll(KAFKA.bootstrapServers(), topic);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).headers()).isEmpty();
    assertThat(records.get(0).spans()).containsExactlyElementsOf(OtlpJsonSample.expectedSpans());
  }

  private static OtlpGateway.Builder gateway(String topic) {
    return TestGateways.builder(KAFKA.bootstrapServers(), topic);
  }

  private static Received recordStartingWith(List<Received> records, String prefix) {
    return records.stream()
        .filter(r -> TopicContent.names(r.data()).stream().allMatch(n -> n.startsWith(prefix)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no record holds only " + prefix + " spans: " + records));
  }

  private static void assertExported(CompletableResultCode result, String what) {
    result.join(30, TimeUnit.SECONDS);
    assertThat(result.isSuccess()).as(what + " export succeeded").isTrue();
  }

  private static List<SpanView> views(List<SpanData> spans) {
    return spans.stream().map(SpanView::of).toList();
  }

  /**
   * {@code count} finished spans from the SDK: two scopes, parents and children, every attribute type,
   * events, error statuses; what an instrumented application hands to its exporter.
   */
  private static List<SpanData> sdkSpans(String prefix, int count) {
    Collector collector = new Collector();
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), "java-client-" + prefix,
        AttributeKey.stringKey("deployment.environment.name"), "it")));
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(resource)
        .addSpanProcessor(SimpleSpanProcessor.create(collector))
        .build()) {
      Tracer[] tracers = {provider.get("scope-a", "1.0.0"), provider.get("scope-b", "2.1.0")};
      Span parent = null;
      for (int i = 0; i < count; i++) {
        Tracer tracer = tracers[i % 2];
        boolean root = i % 3 == 0;
        Span span = tracer.spanBuilder(prefix + "-span-" + i)
            .setParent(root || parent == null ? Context.root() : Context.root().with(parent))
            .setSpanKind(SpanKind.values()[i % SpanKind.values().length])
            .setAttribute("index", i)
            .setAttribute("route", "/items/" + i)
            .setAttribute("ratio", i / 4.0)
            .setAttribute("cached", i % 2 == 0)
            .startSpan();
        span.addEvent("checkpoint", Attributes.of(AttributeKey.longKey("step"), (long) i));
        if (i % 5 == 0) {
          span.setStatus(StatusCode.ERROR, "failure " + i);
        }
        span.end();
        if (root) {
          parent = span;
        }
      }
    }
    return List.copyOf(collector.spans);
  }

  /** Keeps what the SDK hands to an exporter. */
  private static final class Collector implements SpanExporter {
    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
