package io.tracemetrics.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.gateway.http.NettyHttpServer;
import io.tracemetrics.gateway.ingest.InFlightLimiter;
import io.tracemetrics.gateway.ingest.TestTraces;
import io.tracemetrics.gateway.ingest.TraceIngest;
import io.tracemetrics.gateway.kafka.InMemoryPublisher;
import io.tracemetrics.gateway.metrics.GatewayMetrics;
import io.tracemetrics.gateway.metrics.MetricsRegistry;
import io.tracemetrics.gateway.metrics.RefusalLog;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which thread hands a request to the publisher: the I/O thread only when that is quick and cannot wait. */
class HttpTraceReceiverThreadsTest {
  private final InMemoryPublisher publisher = new InMemoryPublisher(4 << 20);
  private final HttpClient client = HttpClient.newHttpClient();
  private NettyHttpServer server;

  @BeforeEach
  void start() throws Exception {
    GatewayMetrics metrics = new GatewayMetrics(new MetricsRegistry());
    RefusalLog refusals = RefusalLog.everyTenSeconds();
    TraceIngest ingest = new TraceIngest(publisher, metrics, new InFlightLimiter(64 << 20), refusals,
        Duration.ofSeconds(5));
    ReceiverSettings settings = new ReceiverSettings(8 << 20, Duration.ofSeconds(5), 1, new BearerAuth(null),
        List.of());
    server = NettyHttpServer.builder().name("t").host("127.0.0.1").threads(2).maxBodyBytes(8 << 20)
        .bodyBudget(new InFlightLimiter(64 << 20)).service(new HttpTraceReceiver(ingest, metrics, refusals, settings))
        .start();
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ofSeconds(1));
  }

  @Test
  void smallProtobufIsPublishedFromTheIoThreadWhenThePublisherCannotWait() throws Exception {
    publisher.withoutWaiting(true);
    assertThat(post(protobuf(10), "application/x-protobuf", false)).isEqualTo(200);
    assertThat(publisher.lastPublishingThread()).startsWith("t-io-");
  }

  @Test
  void everythingElseIsPublishedFromAWorker() throws Exception {
    publisher.withoutWaiting(false);
    assertThat(post(protobuf(10), "application/x-protobuf", false)).isEqualTo(200);
    assertThat(publisher.lastPublishingThread()).startsWith("t-").doesNotStartWith("t-io-");

    publisher.withoutWaiting(true);
    assertThat(post(protobuf(10), "application/x-protobuf", true)).isEqualTo(200);   // gzip: inflated on a worker
    assertThat(publisher.lastPublishingThread()).doesNotStartWith("t-io-");
    assertThat(post("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
        + "\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"a\"}]}]}]}",
        "application/json", false)).isEqualTo(200);
    assertThat(publisher.lastPublishingThread()).doesNotStartWith("t-io-");
    byte[] large = protobuf(4000);
    assertThat(large.length).isGreaterThan(HttpTraceReceiver.IO_THREAD_MAX_BYTES);
    assertThat(post(large, "application/x-protobuf", false)).isEqualTo(200);
    assertThat(publisher.lastPublishingThread()).doesNotStartWith("t-io-");
    assertThat(publisher.values()).hasSize(4);
  }

  private static byte[] protobuf(int spans) {
    return TestTraces.request(2, 1, spans, 200).toByteArray();
  }

  private int post(String json, String contentType, boolean gzip) throws Exception {
    return post(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType, gzip);
  }

  private int post(byte[] body, String contentType, boolean gzip) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/v1/traces")).header("Content-Type", contentType);
    if (gzip) {
      ByteArrayOutputStream compressed = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
        out.write(body);
      }
      body = compressed.toByteArray();
      request.header("Content-Encoding", "gzip");
    }
    return client.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
