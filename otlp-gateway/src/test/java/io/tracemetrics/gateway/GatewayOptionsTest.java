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
import java.util.function.Consumer;
import java.util.function.Function;
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

  @ParameterizedTest(name = "{0}")
  @CsvSource({"space-separated, true", "with '=', false"})
  void everyFlagTakesBothForms(String form, boolean spaced) {
    List<String> args = new ArrayList<>();
    for (GatewayOptions.Option option : GatewayOptions.ALL) {
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
    for (GatewayOptions.Option option : GatewayOptions.ALL) {
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
    List<GatewayOptions.Option> kafkaOptions =
        GatewayOptions.ALL.stream().filter(o -> o.name().startsWith("kafka")).toList();
    assertThat(kafkaOptions).extracting(GatewayOptions.Option::name).contains("kafka-bootstrap-servers",
        "kafka-compression", "kafka-linger-ms", "kafka-batch-size");
    List<String> args = new ArrayList<>();
    for (GatewayOptions.Option option : kafkaOptions) {
      args.add(option.flag());
      args.add("v-" + option.name());
    }
    Map<String, String> env = new LinkedHashMap<>();
    kafkaOptions.forEach(o -> env.put(o.envVar(), "e-" + o.name()));

    GatewayOptions fromFlags = GatewayOptions.parse(args.toArray(String[]::new), Map.of(), failOnWarning());
    GatewayOptions fromEnv = GatewayOptions.parse(new String[0], env, failOnWarning());

    for (GatewayOptions.Option option : kafkaOptions) {
      assertThat(fromFlags.value(option.name())).isEqualTo("v-" + option.name());
      assertThat(fromEnv.value(option.name())).isEqualTo("e-" + option.name());
    }
    assertThat(fromFlags.kafkaProperties()).isEmpty();
    assertThat(fromEnv.kafkaProperties()).isEmpty();
    // No setting's variable may fall under a passthrough prefix, or it would be read twice.
    assertThat(GatewayOptions.ALL).allSatisfy(o -> assertThat(o.envVar())
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

  /**
   * Every option set to its own value, distinct from its default and from every other option's value, must
   * arrive in the matching field of the built settings: an option wired to the wrong builder setter (or two
   * swapped) fails here.
   */
  @Test
  void everyOptionReachesItsOwnSetting() {
    Map<String, Expected> expected = new LinkedHashMap<>();
    expected.put("kafka-bootstrap-servers", expect("broker-a:9092,broker-b:9092",
        GatewaySettings::kafkaBootstrapServers, "broker-a:9092,broker-b:9092"));
    expected.put("topic", expect("spans_test", GatewaySettings::topic, "spans_test"));
    expected.put("region", expect("eu-test-1", GatewaySettings::region, "eu-test-1"));
    expected.put("bind-address", expect("127.0.0.2", GatewaySettings::bindAddress, "127.0.0.2"));
    expected.put("grpc-port", expect("5001", GatewaySettings::grpcPort, 5001));
    expected.put("http-port", expect("5002", GatewaySettings::httpPort, 5002));
    expected.put("health-port", expect("5003", GatewaySettings::healthPort, 5003));
    expected.put("metrics-port", expect("5004", GatewaySettings::metricsPort, 5004));
    expected.put("max-message-bytes", expect("5005", GatewaySettings::maxMessageBytes, 5005));
    expected.put("max-record-bytes", expect("5006", GatewaySettings::maxRecordBytes, 5006));
    expected.put("send-timeout-ms", expect("5007", GatewaySettings::sendTimeout, Duration.ofMillis(5007)));
    expected.put("max-in-flight-bytes", expect("5008", GatewaySettings::maxInFlightBytes, 5008L));
    expected.put("retry-after-seconds", expect("5009", GatewaySettings::retryAfterSeconds, 5009L));
    expected.put("http-threads", expect("11", GatewaySettings::httpThreads, 11));
    expected.put("http-io-threads", expect("509", GatewaySettings::httpIoThreads, 509));
    expected.put("grpc-threads", expect("13", GatewaySettings::grpcThreads, 13));
    expected.put("kafka-compression", expect("zstd", GatewaySettings::kafkaCompression, "zstd"));
    expected.put("kafka-linger-ms", expect("14", GatewaySettings::kafkaLingerMs, 14));
    expected.put("kafka-batch-size", expect("5015", GatewaySettings::kafkaBatchSize, 5015));
    expected.put("auth-token", expect("t0ken-under-test", GatewaySettings::authToken, "t0ken-under-test"));
    expected.put("cors-allowed-origins", expect("https://a.example, https://b.example",
        GatewaySettings::corsAllowedOrigins, List.of("https://a.example", "https://b.example")));
    expected.put("shutdown-timeout-ms", expect("5016", GatewaySettings::shutdownTimeout, Duration.ofMillis(5016)));
    expected.put("tls-cert-file", expect("/test/server.crt", GatewaySettings::tlsCertFile,
        Path.of("/test/server.crt")));
    expected.put("tls-key-file", expect("/test/server.key", GatewaySettings::tlsKeyFile,
        Path.of("/test/server.key")));
    expected.put("tls-client-ca-file", expect("/test/client-ca.crt", GatewaySettings::tlsClientCaFile,
        Path.of("/test/client-ca.crt")));
    // A new option must be added here, or this test fails.
    assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(
        GatewayOptions.ALL.stream().map(GatewayOptions.Option::name).toList());
    // Distinct values: a swap of two options could not go unnoticed.
    assertThat(expected.values().stream().map(Expected::value)).doesNotHaveDuplicates();
    assertThat(expected.values().stream().map(Expected::setting)).doesNotHaveDuplicates();
    String[] args = expected.entrySet().stream()
        .map(e -> option(e.getKey()).flag() + "=" + e.getValue().value()).toArray(String[]::new);

    GatewaySettings defaults = OtlpGateway.builder().kafkaBootstrapServers("defaults:9092").build().settings();
    GatewaySettings settings = GatewayOptions.parse(args, Map.of()).toBuilder().build().settings();

    SoftAssertions softly = new SoftAssertions();
    expected.forEach((name, e) -> {
      softly.assertThat(e.read().apply(settings)).as("%s reaches its own setting", option(name).flag())
          .isEqualTo(e.setting());
      softly.assertThat(e.read().apply(defaults)).as("%s test value differs from the default", option(name).flag())
          .isNotEqualTo(e.setting());
    });
    softly.assertAll();
  }

  @Test
  void readmeOptionsTableMatchesThisClass() throws Exception {
    String readme = Files.readString(Path.of("README.md"));

    assertThat(readme).contains(GatewayOptions.markdownTable());
  }

  private static Consumer<String> failOnWarning() {
    return warning -> {
      throw new AssertionError("unexpected warning: " + warning);
    };
  }

  /** An option's flag value, the getter of the setting it must reach, and what that setting must hold. */
  private record Expected(String value, Function<GatewaySettings, Object> read, Object setting) {}

  private static Expected expect(String value, Function<GatewaySettings, Object> read, Object setting) {
    return new Expected(value, read, setting);
  }

  private static GatewayOptions.Option option(String name) {
    return GatewayOptions.ALL.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
  }
}
