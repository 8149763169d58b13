package io.tracemetrics.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.assertj.core.api.SoftAssertions;
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
    GatewaySetting<?> option = option(name);
    String[] args = flag == null ? new String[0] : new String[] {option.flag() + "=" + flag};
    Map<String, String> environment = env == null ? Map.of() : Map.of(option.envVar(), env);

    assertThat(GatewayOptions.parse(args, environment).value(name)).isEqualTo(expected);
  }

  @Test
  void namesFollowOneScheme() {
    GatewaySetting<?> option = option("kafka-bootstrap-servers");

    assertThat(option.flag()).isEqualTo("--kafka-bootstrap-servers");
    assertThat(option.envVar()).isEqualTo("GATEWAY_KAFKA_BOOTSTRAP_SERVERS");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"space-separated, true", "with '=', false"})
  void everyFlagTakesBothForms(String form, boolean spaced) {
    List<String> args = new ArrayList<>();
    for (GatewaySetting<?> option : GatewaySettings.ALL) {
      String value = "v-" + option.name();
      if (spaced) {
        args.add(option.flag());
        args.add(value);
      } else {
        args.add(option.flag() + "=" + value);
      }
    }

    GatewayOptions options = GatewayOptions.parse(args.toArray(String[]::new), Map.of(), failOnWarning());

    SoftAssertions softly = new SoftAssertions();
    for (GatewaySetting<?> option : GatewaySettings.ALL) {
      softly.assertThat(options.value(option.name())).as(option.flag()).isEqualTo("v-" + option.name());
    }
    softly.assertAll();
    assertThat(options.kafkaProperties()).isEmpty();
  }

  @Test
  void bothFormsMixAndTheSpacedFormTakesAnyValue() {
    GatewayOptions options = GatewayOptions.parse(new String[] {"--region", "eu-west-1", "--grpc-port=5000",
        "--topic", "a=b", "--kafka.client.acks", "-1", "--kafka.client.sasl.jaas.config=x y=\"z\";"}, Map.of(),
        failOnWarning());

    assertThat(options.value("region")).isEqualTo("eu-west-1");
    assertThat(options.value("grpc-port")).isEqualTo("5000");
    assertThat(options.value("topic")).isEqualTo("a=b");
    assertThat(options.kafkaProperties()).containsExactlyInAnyOrderEntriesOf(
        Map.of("acks", "-1", "sasl.jaas.config", "x y=\"z\";"));
  }

  @Test
  void aFlagWithoutItsValueIsRefused() {
    assertThatThrownBy(() -> GatewayOptions.parse(new String[] {"--region"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--region needs a value");
    assertThatThrownBy(() -> GatewayOptions.parse(new String[] {"--region", "--topic", "t"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--region needs a value");
  }

  @Test
  void kafkaClientPropertiesPassThroughFromFlagsAndEnvironmentWithoutWarnings() {
    List<String> warnings = new ArrayList<>();
    GatewayOptions options = GatewayOptions.parse(
        new String[] {"--kafka.client.sasl.jaas.config", "org.Foo required user=\"a\";",
            "--kafka.client.client.id=gw-1"},
        Map.of("GATEWAY_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL"), warnings::add);

    assertThat(options.kafkaProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SASL_SSL", "sasl.jaas.config", "org.Foo required user=\"a\";", "client.id", "gw-1"));
    assertThat(warnings).isEmpty();
  }

  @Test
  void oldPassthroughSpellingsStillWorkAndEachUseWarnsWithTheNewSpelling() {
    List<String> warnings = new ArrayList<>();
    GatewayOptions options = GatewayOptions.parse(
        new String[] {"--kafka.sasl.mechanism=PLAIN", "--kafka.linger.ms", "7"},
        Map.of("GATEWAY_KAFKA_PROP_SECURITY_PROTOCOL", "SASL_SSL"), warnings::add);

    assertThat(options.kafkaProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "linger.ms", "7"));
    assertThat(warnings).hasSize(3);
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("--kafka.sasl.mechanism", "deprecated",
        "--kafka.client.sasl.mechanism"));
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("--kafka.linger.ms", "--kafka.client.linger.ms"));
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("GATEWAY_KAFKA_PROP_SECURITY_PROTOCOL",
        "deprecated", "GATEWAY_KAFKA_CLIENT_SECURITY_PROTOCOL"));
  }

  /** An old flag for a property starting with client. keeps its old sense rather than becoming property "id". */
  @Test
  void oldFlagForClientIdKeepsItsMeaning() {
    List<String> warnings = new ArrayList<>();
    GatewayOptions options = GatewayOptions.parse(new String[] {"--kafka.client.id=gw-1"}, Map.of(), warnings::add);

    assertThat(options.kafkaProperties()).containsExactlyEntriesOf(Map.of("client.id", "gw-1"));
    assertThat(warnings).singleElement().asString().contains("--kafka.client.client.id");
  }

  @Test
  void theNewSpellingWinsOverTheOldOneInTheEnvironment() {
    GatewayOptions options = GatewayOptions.parse(new String[0], Map.of("GATEWAY_KAFKA_PROP_LINGER_MS", "1",
        "GATEWAY_KAFKA_CLIENT_LINGER_MS", "2"), warning -> {});

    assertThat(options.kafkaProperties()).containsExactlyEntriesOf(Map.of("linger.ms", "2"));
  }

  /** The gateway's own settings named kafka-... are settings, never passthrough properties, in both forms. */
  @Test
  void gatewayOptionsStartingWithKafkaAreNotPassthrough() {
    List<GatewaySetting<?>> kafkaOptions =
        GatewaySettings.ALL.stream().filter(o -> o.name().startsWith("kafka")).toList();
    assertThat(kafkaOptions).extracting(GatewaySetting::name).contains("kafka-bootstrap-servers",
        "kafka-compression", "kafka-linger-ms", "kafka-batch-size");
    List<String> args = new ArrayList<>();
    for (GatewaySetting<?> option : kafkaOptions) {
      args.add(option.flag());
      args.add("v-" + option.name());
    }
    Map<String, String> env = new LinkedHashMap<>();
    kafkaOptions.forEach(o -> env.put(o.envVar(), "e-" + o.name()));

    GatewayOptions fromFlags = GatewayOptions.parse(args.toArray(String[]::new), Map.of(), failOnWarning());
    GatewayOptions fromEnv = GatewayOptions.parse(new String[0], env, failOnWarning());

    for (GatewaySetting<?> option : kafkaOptions) {
      assertThat(fromFlags.value(option.name())).isEqualTo("v-" + option.name());
      assertThat(fromEnv.value(option.name())).isEqualTo("e-" + option.name());
    }
    assertThat(fromFlags.kafkaProperties()).isEmpty();
    assertThat(fromEnv.kafkaProperties()).isEmpty();
    // No setting's variable may fall under a passthrough prefix, or it would be read twice.
    assertThat(GatewaySettings.ALL).allSatisfy(o -> assertThat(o.envVar())
        .doesNotStartWith(GatewayOptions.KAFKA_CLIENT_ENV_PREFIX)
        .doesNotStartWith(GatewayOptions.OLD_KAFKA_ENV_PREFIX));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"--kafka.client.acks", "--kafka.acks"})
  void unsafeKafkaPassthroughStopsTheStartWithTheReasonInBothSpellings(String acksFlag) {
    GatewayOptions options = GatewayOptions.parse(
        new String[] {"--kafka-bootstrap-servers", "localhost:9092", acksFlag, "1"},
        Map.of("GATEWAY_KAFKA_CLIENT_ENABLE_IDEMPOTENCE", "false",
            "GATEWAY_KAFKA_PROP_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION", "9"), warning -> {});

    assertThatThrownBy(() -> options.toBuilder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("acks=1 must be all")
        .hasMessageContaining("enable.idempotence=false must be true")
        .hasMessageContaining("max.in.flight.requests.per.connection=9");
  }

  @Test
  void describeMasksSecrets() {
    GatewayOptions options = GatewayOptions.parse(
        new String[] {"--auth-token", "t0ken", "--kafka.client.ssl.key.password", "pw", "--kafka.client.acks", "all"},
        Map.of());

    assertThat(options.describe()).doesNotContain("t0ken", "= pw").contains("auth-token = ****",
        "kafka.client.ssl.key.password = ****", "kafka.client.acks = all");
  }

  /** The job's words, in property names of any case; a value that only contains a word is not a reason. */
  @ParameterizedTest(name = "{0} masked: {1}")
  @CsvSource({
      "ssl.truststore.password, true",
      "sasl.jaas.config, true",
      "sasl.oauthbearer.client.secret, true",
      "some.access.TOKEN, true",
      "sasl.client.credentials.file, true",
      "security.protocol, false",
      "sasl.mechanism, false",
  })
  void passthroughValuesAreMaskedByTheJobsSecretWords(String property, boolean masked) {
    GatewayOptions options = GatewayOptions.parse(
        new String[] {"--kafka.client." + property, "value-password-of-" + property}, Map.of());

    String line = "kafka.client." + property + " = ";
    assertThat(options.describe()).contains(line + (masked ? "****" : "value-password-of-" + property));
    assertThat(GatewayOptions.isSecret(property)).isEqualTo(masked);
  }

  @Test
  void secretWordsAreTheJobs() {
    assertThat(GatewayOptions.SECRET_WORDS).containsExactly("password", "jaas", "secret", "token", "credentials");
  }

  @Test
  void unknownOrMalformedFlagsAreRefused() {
    assertThatThrownBy(() -> GatewayOptions.parse(new String[] {"--grpc-prot=1"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--grpc-prot");
    assertThatThrownBy(() -> GatewayOptions.parse(new String[] {"grpc-port=1"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GatewayOptions.parse(new String[] {"--grpc-prot", "1"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--grpc-prot");
    assertThatThrownBy(() -> GatewayOptions.parse(new String[] {"--kafka.", "1"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option");
    assertThatThrownBy(() -> GatewayOptions.parse(new String[] {"--grpc-port=abc"}, Map.of()).toBuilder())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--grpc-port");
  }

  @Test
  void missingBootstrapServersFailsAtBuild() {
    assertThatThrownBy(() -> GatewayOptions.parse(new String[0], Map.of()).toBuilder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("kafka-bootstrap-servers is required");
  }

  @Test
  void httpIoThreadsDefaultToOnePerCore() {
    assertThat(OtlpGateway.builder().kafkaBootstrapServers("k:9092").build().settings()
        .get(GatewaySettings.HTTP_IO_THREADS)).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(OtlpGateway.builder().kafkaBootstrapServers("k:9092").httpIoThreads(3).build().settings()
        .get(GatewaySettings.HTTP_IO_THREADS)).isEqualTo(3);
    assertThatThrownBy(() -> OtlpGateway.builder().kafkaBootstrapServers("k:9092").httpIoThreads(-1).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("http-io-threads must be at least 0: -1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--grpc-port=70000        | grpc-port must be from 0 to 65535: 70000",
      "--http-port=-1           | http-port must be from 0 to 65535: -1",
      "--max-record-bytes=4095  | max-record-bytes must be at least 4096: 4095",
      "--send-timeout-ms=0      | send-timeout-ms must be at least 1 ms: 0",
      "--http-threads=0         | http-threads must be at least 1: 0",
      "--kafka-batch-size=0     | kafka-batch-size must be at least 1: 0",
      "--tls-cert-file=/a.pem   | tls-cert-file and tls-key-file go together",
      "--tls-client-ca-file=/ca | tls-client-ca-file needs tls-cert-file and tls-key-file",
  })
  void valuesAreCheckedByTheirDefinitionAndTheErrorNamesTheSetting(String flag, String message) {
    GatewayOptions options = GatewayOptions.parse(new String[] {"--kafka-bootstrap-servers=k:9092", flag}, Map.of());

    assertThatThrownBy(() -> options.toBuilder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(message);
  }

  /**
   * Every setting given its own value, distinct from its default and from every other setting's value, must
   * arrive in that setting of the built settings both ways: as a flag, and through the builder's public setter
   * of the same name. A flag or setter wired to the wrong setting (or two swapped) fails here.
   */
  @Test
  void everyOptionReachesItsOwnSetting() {
    Map<String, Expected> expected = new LinkedHashMap<>();
    expected.put("kafka-bootstrap-servers", expect("broker-a:9092,broker-b:9092",
        GatewaySettings.KAFKA_BOOTSTRAP_SERVERS, "broker-a:9092,broker-b:9092", b -> b.kafkaBootstrapServers(
            "broker-a:9092,broker-b:9092")));
    expected.put("topic", expect("spans_test", GatewaySettings.TOPIC, "spans_test", b -> b.topic("spans_test")));
    expected.put("region", expect("eu-test-1", GatewaySettings.REGION, "eu-test-1", b -> b.region("eu-test-1")));
    expected.put("bind-address", expect("127.0.0.2", GatewaySettings.BIND_ADDRESS, "127.0.0.2",
        b -> b.bindAddress("127.0.0.2")));
    expected.put("grpc-port", expect("5001", GatewaySettings.GRPC_PORT, 5001, b -> b.grpcPort(5001)));
    expected.put("http-port", expect("5002", GatewaySettings.HTTP_PORT, 5002, b -> b.httpPort(5002)));
    expected.put("health-port", expect("5003", GatewaySettings.HEALTH_PORT, 5003, b -> b.healthPort(5003)));
    expected.put("metrics-port", expect("5004", GatewaySettings.METRICS_PORT, 5004, b -> b.metricsPort(5004)));
    expected.put("max-message-bytes", expect("5005", GatewaySettings.MAX_MESSAGE_BYTES, 5005,
        b -> b.maxMessageBytes(5005)));
    expected.put("max-record-bytes", expect("5006", GatewaySettings.MAX_RECORD_BYTES, 5006,
        b -> b.maxRecordBytes(5006)));
    expected.put("send-timeout-ms", expect("5007", GatewaySettings.SEND_TIMEOUT, Duration.ofMillis(5007),
        b -> b.sendTimeout(Duration.ofMillis(5007))));
    expected.put("max-in-flight-bytes", expect("5008", GatewaySettings.MAX_IN_FLIGHT_BYTES, 5008L,
        b -> b.maxInFlightBytes(5008)));
    expected.put("retry-after-seconds", expect("5009", GatewaySettings.RETRY_AFTER_SECONDS, 5009L,
        b -> b.retryAfterSeconds(5009)));
    expected.put("http-threads", expect("11", GatewaySettings.HTTP_THREADS, 11, b -> b.httpThreads(11)));
    expected.put("http-io-threads", expect("509", GatewaySettings.HTTP_IO_THREADS, 509, b -> b.httpIoThreads(509)));
    expected.put("grpc-threads", expect("13", GatewaySettings.GRPC_THREADS, 13, b -> b.grpcThreads(13)));
    expected.put("kafka-compression", expect("zstd", GatewaySettings.KAFKA_COMPRESSION, "zstd",
        b -> b.kafkaCompression("zstd")));
    expected.put("kafka-linger-ms", expect("14", GatewaySettings.KAFKA_LINGER_MS, 14, b -> b.kafkaLingerMs(14)));
    expected.put("kafka-batch-size", expect("5015", GatewaySettings.KAFKA_BATCH_SIZE, 5015,
        b -> b.kafkaBatchSize(5015)));
    expected.put("auth-token", expect("t0ken-under-test", GatewaySettings.AUTH_TOKEN, "t0ken-under-test",
        b -> b.authToken("t0ken-under-test")));
    expected.put("cors-allowed-origins", expect("https://a.example, https://b.example",
        GatewaySettings.CORS_ALLOWED_ORIGINS, List.of("https://a.example", "https://b.example"),
        b -> b.corsAllowedOrigins(List.of("https://a.example", "https://b.example"))));
    expected.put("shutdown-timeout-ms", expect("5016", GatewaySettings.SHUTDOWN_TIMEOUT, Duration.ofMillis(5016),
        b -> b.shutdownTimeout(Duration.ofMillis(5016))));
    expected.put("tls-cert-file", expect("/test/server.crt", GatewaySettings.TLS_CERT_FILE,
        Path.of("/test/server.crt"), b -> b.tlsCertFile(Path.of("/test/server.crt"))));
    expected.put("tls-key-file", expect("/test/server.key", GatewaySettings.TLS_KEY_FILE,
        Path.of("/test/server.key"), b -> b.tlsKeyFile(Path.of("/test/server.key"))));
    expected.put("tls-client-ca-file", expect("/test/client-ca.crt", GatewaySettings.TLS_CLIENT_CA_FILE,
        Path.of("/test/client-ca.crt"), b -> b.tlsClientCaFile(Path.of("/test/client-ca.crt"))));
    // A new setting must be added here, or this test fails.
    assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(
        GatewaySettings.ALL.stream().map(GatewaySetting::name).toList());
    // Distinct values: a swap of two settings could not go unnoticed.
    assertThat(expected.values().stream().map(Expected::value)).doesNotHaveDuplicates();
    assertThat(expected.values().stream().map(Expected::setting)).doesNotHaveDuplicates();
    String[] args = expected.entrySet().stream()
        .map(e -> option(e.getKey()).flag() + "=" + e.getValue().value()).toArray(String[]::new);
    OtlpGateway.Builder viaSetters = OtlpGateway.builder();
    expected.values().forEach(e -> e.setter().accept(viaSetters));

    GatewaySettings defaults = OtlpGateway.builder().kafkaBootstrapServers("defaults:9092").build().settings();
    GatewaySettings fromFlags = GatewayOptions.parse(args, Map.of()).toBuilder().build().settings();
    GatewaySettings fromSetters = viaSetters.build().settings();

    SoftAssertions softly = new SoftAssertions();
    expected.forEach((name, e) -> {
      softly.assertThat(option(name)).as("the setting named %s", name).isSameAs(e.read());
      softly.assertThat((Object) fromFlags.get(e.read())).as("%s reaches its own setting", option(name).flag())
          .isEqualTo(e.setting());
      softly.assertThat((Object) fromSetters.get(e.read())).as("the builder's setter for %s sets it", name)
          .isEqualTo(e.setting());
      softly.assertThat((Object) defaults.get(e.read())).as("%s test value differs from the default", name)
          .isNotEqualTo(e.setting());
    });
    softly.assertAll();
  }

  /** As the job's JobOptionsReadmeTest: the README's option rows are the settings, row for row. */
  @Test
  void readmeListsEverySettingWithItsDefault() throws Exception {
    List<String> rows = Files.readAllLines(Path.of("README.md")).stream()
        .filter(line -> line.startsWith("| `--")).toList();
    List<String> expected = GatewayOptions.markdownTable().lines().filter(line -> line.startsWith("| `--")).toList();

    assertThat(expected).hasSize(GatewaySettings.ALL.size() + 1);
    assertThat(rows).as("otlp-gateway/README.md options table; expected rows:%n%s", String.join("\n", expected))
        .containsExactlyElementsOf(expected);
  }

  private static Consumer<String> failOnWarning() {
    return warning -> {
      throw new AssertionError("unexpected warning: " + warning);
    };
  }

  /**
   * A setting's flag value, the setting it must reach, what that setting must then hold, and the builder call
   * that must set the same.
   */
  private record Expected(String value, GatewaySetting<?> read, Object setting, Consumer<OtlpGateway.Builder> setter) {}

  private static Expected expect(String value, GatewaySetting<?> read, Object setting,
      Consumer<OtlpGateway.Builder> setter) {
    return new Expected(value, read, setting, setter);
  }

  private static GatewaySetting<?> option(String name) {
    return Objects.requireNonNull(GatewayOptions.setting(name), name);
  }
}
