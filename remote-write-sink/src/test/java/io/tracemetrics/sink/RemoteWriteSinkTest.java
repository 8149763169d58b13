package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RemoteWriteSinkTest {
  private static final String URL = "http://127.0.0.1:8428/api/v1/write";

  static Stream<Arguments> invalidConfigurations() {
    return Stream.of(
        invalid("no endpoint", () -> RemoteWriteSink.builder().build(), "endpoint is required"),
        invalid("null endpoint", () -> RemoteWriteSink.builder().endpoint(null), "remote-write URL"),
        invalid("not http", () -> RemoteWriteSink.builder().endpoint("ftp://h/api"), "http(s)://"),
        invalid("no host", () -> RemoteWriteSink.builder().endpoint("http:///api"), "http(s)://"),
        invalid("unparseable", () -> RemoteWriteSink.builder().endpoint("http://h /x"), "invalid"),
        invalid("endpoint twice", () -> RemoteWriteSink.builder().endpoint(URL).endpoint(URL),
            "additionalEndpoint"),
        invalid("zero samples", () -> RemoteWriteSink.builder().maxBatchSamples(0), "positive"),
        invalid("negative bytes", () -> RemoteWriteSink.builder().maxBatchBytes(-1), "positive"),
        invalid("zero batches in flight", () -> RemoteWriteSink.builder().maxBatchesInFlight(0),
            "positive"),
        invalid("zero buffer time", () -> RemoteWriteSink.builder().maxBufferTime(Duration.ZERO),
            "positive"),
        invalid("null buffer time", () -> RemoteWriteSink.builder().maxBufferTime(null),
            "maxBufferTime"),
        invalid("protocol header", () -> RemoteWriteSink.builder().header("content-type", "x"),
            "set by the sink"),
        invalid("authorization header", () -> RemoteWriteSink.builder().header("Authorization", "x"),
            "set by the sink"),
        invalid("restricted header", () -> RemoteWriteSink.builder().header("Host", "x"),
            "restricted"),
        invalid("header twice", () -> RemoteWriteSink.builder().header("X-A", "1").header("x-a", "2"),
            "set twice"),
        invalid("two auth methods", () -> RemoteWriteSink.builder().basicAuth("u", "p")
            .bearerToken("t"), "exclusive"),
        invalid("backoff bounds", () -> RemoteWriteSink.builder().endpoint(URL)
            .initialBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(1)).build(),
            "maxBackoff"));
  }

  private static Arguments invalid(String name, Supplier<?> action, String message) {
    return Arguments.of(name, action, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidConfigurations")
  void invalidConfigurationFailsFastWithAClearMessage(String name, Supplier<?> action,
      String message) {
    assertThatThrownBy(action::get).isInstanceOfAny(IllegalArgumentException.class,
        IllegalStateException.class, NullPointerException.class).hasMessageContaining(message);
  }

  @Test
  void sinkIsSerializableAndItsDescriptionHidesCredentials() throws Exception {
    RemoteWriteSink sink = RemoteWriteSink.builder().endpoint(URL)
        .additionalEndpoint("https://vm.example:443/api/v1/write")
        .additionalEndpoint("https://vm.example/api/v1/write")
        .basicAuth("user", "s3cret").header("X-Scope-OrgID", "tenant")
        .maxBatchSamples(500).build();

    RemoteWriteSink copy = InstantiationUtil.clone(sink);

    assertThat(copy.toString()).isEqualTo(sink.toString())
        .contains("127.0.0.1:8428", "vm.example:443", "vm.example:443_2", "maxBatchSamples=500",
            "Authorization", "X-Scope-OrgID")
        .doesNotContain("s3cret", "dXNlcjpzM2NyZXQ=", "tenant");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    String description = RemoteWriteSink.builder().endpoint(URL).build().toString();

    assertThat(description).contains("maxBatchSamples=10000", "maxBatchBytes=4194304",
        "maxBufferTime=PT1S", "maxBatchesInFlight=4", "connectTimeout=PT10S", "requestTimeout=PT30S", "backoff PT0.1S..PT10S",
        "maxRetryTime PT5M", "onRejected DROP", "onRetriesExhausted FAIL");
  }

  @Test
  void writerRegistersFlinksCurrentSendTimeGaugeOnceWhateverTheNumberOfEndpoints() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RemoteWriteSink sink = RemoteWriteSink.builder().endpoint(URL)
        .additionalEndpoint("http://127.0.0.1:9090/api/v1/write").build();

    sink.createWriter(WriterContexts.context(new ManualProcessingTimeService(), calls)).close();

    assertThat(calls).hasValue(1);
  }
}
