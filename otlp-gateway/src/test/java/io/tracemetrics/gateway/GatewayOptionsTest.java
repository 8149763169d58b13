package io.tracemetrics.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayOptionsTest {

  @ParameterizedTest(name = "flag {1}, env {2} -> {3}")
  @CsvSource(nullValues = "null", value = {
      "grpc-port, null, null, 4317",
      "grpc-port, null, 5000, 5000",
      "grpc-port, 6000, 5000, 6000",
      "topic, spans_eu, null, spans_eu",
      "region, null, eu-west-1, eu-west-1",
      "region, null, null, ''",
  })
  void flagWinsOverEnvironmentWhichWinsOverDefault(String name, String flag, String env, String expected) {
    GatewayOptions.Option option = option(name);
    String[] args = flag == null ? new String[0] : new String[] {option.flag() + "=" + flag};
    Map<String, String> environment = env == null ? Map.of() : Map.of(option.envVar(), env);

    assertThat(GatewayOptions.parse(args, environment).value(name)).isEqualTo(expected);
  }

  @Test
  void namesFollowOneScheme() {
    GatewayOptions.Option option = option("kafka-bootstrap-servers");

    assertThat(option.flag()).isEqualTo("--kafka-bootstrap-servers");
    assertThat(option.envVar()).isEqualTo("GATEWAY_KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void kafkaPropertiesPassThroughFromFlagsAndEnvironment() {
    GatewayOptions options = GatewayOptions.parse(
        new String[] {"--kafka.sasl.jaas.config=org.Foo required user=\"a\";"},
        Map.of("GATEWAY_KAFKA_PROP_SECURITY_PROTOCOL", "SASL_SSL"));

    assertThat(options.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", "org.Foo required user=\"a\";");
  }

  @Test
  void unsafeKafkaPassthroughStopsTheStartWithTheReason() {
    GatewayOptions options = GatewayOptions.parse(
        new String[] {"--kafka-bootstrap-servers=localhost:9092", "--kafka.acks=1"},
        Map.of("GATEWAY_KAFKA_PROP_ENABLE_IDEMPOTENCE", "false"));

    assertThatThrownBy(() -> options.toBuilder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("acks=1 must be all")
        .hasMessageContaining("enable.idempotence=false must be true");
  }

  @Test
  void describeMasksSecrets() {
    GatewayOptions options = GatewayOptions.parse(
        new String[] {"--auth-token=t0ken", "--kafka.ssl.key.password=pw", "--kafka.acks=all"}, Map.of());

    assertThat(options.describe()).doesNotContain("t0ken", "=pw").contains("auth-token = ****",
        "kafka.ssl.key.password = ****", "kafka.acks = all");
  }

  @Test
  void unknownOrMalformedFlagsAreRefused() {
    assertThatThrownBy(() -> GatewayOptions.parse(new String[] {"--grpc-prot=1"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--grpc-prot");
    assertThatThrownBy(() -> GatewayOptions.parse(new String[] {"grpc-port=1"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GatewayOptions.parse(new String[] {"--grpc-port=abc"}, Map.of()).toBuilder())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--grpc-port");
  }

  @Test
  void missingBootstrapServersFailsAtBuild() {
    assertThatThrownBy(() -> GatewayOptions.parse(new String[0], Map.of()).toBuilder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("kafkaBootstrapServers");
  }

  @Test
  void httpIoThreadsDefaultToOnePerCore() {
    GatewaySettings.Mutable values = new GatewaySettings.Mutable();
    assertThat(values.resolve(false).httpIoThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());

    values.httpIoThreads = 3;
    assertThat(values.resolve(false).httpIoThreads()).isEqualTo(3);

    values.httpIoThreads = -1;
    assertThatThrownBy(() -> values.resolve(false))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("httpIoThreads");
  }

  @Test
  void everyOptionReachesTheBuilder() {
    String[] args = GatewayOptions.ALL.stream()
        .map(o -> o.flag() + "=" + sampleValue(o)).toArray(String[]::new);

    OtlpGateway.Builder builder = GatewayOptions.parse(args, Map.of()).toBuilder();

    assertThat(builder.build()).isNotNull();
  }

  @Test
  void readmeOptionsTableMatchesThisClass() throws Exception {
    String readme = Files.readString(Path.of("README.md"));

    assertThat(readme).contains(GatewayOptions.markdownTable());
  }

  private static String sampleValue(GatewayOptions.Option option) {
    if (!option.defaultValue().isEmpty()) {
      return option.defaultValue();
    }
    return option.name().equals("cors-allowed-origins") ? "https://a.example,https://b.example" : "x:9092";
  }

  private static GatewayOptions.Option option(String name) {
    return GatewayOptions.ALL.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
  }
}
