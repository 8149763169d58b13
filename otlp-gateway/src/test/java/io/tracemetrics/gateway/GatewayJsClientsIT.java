package io.tracemetrics.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.gateway.TopicContent.Received;
import io.tracemetrics.testsupport.junit.KafkaBrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenTelemetry JS exporters from npm (HTTP JSON, HTTP protobuf, gRPC) against the real gateway and
 * broker. {@code src/test/js} is installed with {@code npm ci} into {@code target/js}; node and npm are
 * required (CI has them), so their absence fails the test instead of skipping it.
 */
class GatewayJsClientsIT {
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration NODE_TIMEOUT = Duration.ofSeconds(60);
  private static final int SPANS = 25;
  private static final String TOPIC = "js-clients";

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static Path jsDir;
  private static OtlpGateway gateway;

  @BeforeAll
  static void installExportersAndStartGateway() throws Exception {
    jsDir = installJsProject();
    KAFKA.broker().createTopic(TOPIC, 3);
    gateway = TestGateways.builder(KAFKA.bootstrapServers(), TOPIC).build().start();
  }

  @AfterAll
  static void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http-json", "http-protobuf", "grpc"})
  void jsExporterSpansArriveInKafkaAsSent(String protocol) {
    String runId = String.format("%016x", ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    String endpoint = protocol.equals("grpc")
        ? "http://127.0.0.1:" + gateway.grpcPort()
        : "http://127.0.0.1:" + gateway.httpPort() + "/v1/traces";

    run(List.of("node", "send-spans.mjs", endpoint, protocol, Integer.toString(SPANS), runId), NODE_TIMEOUT);

    List<Received> records = TopicContent.readAll(KAFKA.bootstrapServers(), TOPIC).stream()
        .filter(r -> r.spans().stream().anyMatch(s -> runId.equals(s.resource().get("run.id"))))
        .toList();
    assertThat(records).as("one export call, one record").hasSize(1);
    assertThat(records.get(0).spans())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("startNanos", "endNanos", "resource", "scope")
        .containsExactlyInAnyOrderElementsOf(expected(protocol, runId));
    assertThat(records.get(0).spans()).allSatisfy(span -> {
      assertThat(span.resource()).containsOnly(Map.entry("service.name", "js-client"), Map.entry("run.id", runId));
      assertThat(span.scope()).isEqualTo("gateway-js-it@1.0.0");
      assertThat(span.endNanos()).isGreaterThanOrEqualTo(span.startNanos()).isPositive();
    });
  }

  /** The spans send-spans.mjs builds: span i has trace id run id + (i + 1), span id i + 1. */
  private static List<SpanView> expected(String protocol, String runId) {
    List<SpanView> spans = new ArrayList<>();
    for (int i = 0; i < SPANS; i++) {
      Map<String, String> attributes = Map.of("index", Integer.toString(i), "protocol", protocol,
          "even", Boolean.toString(i % 2 == 0), "ratio", Double.toString(i + 0.5));
      spans.add(new SpanView(Map.of(), "", runId + String.format("%016x", i + 1), String.format("%016x", i + 1),
          "", protocol + "-span-" + i, 2, 0, 0, attributes, List.of(), 0, ""));
    }
    return spans;
  }

  /**
   * Copies package.json, package-lock.json and the script to target/js and runs {@code npm ci} there
   * (never in src: node_modules must not land in the source tree). Skipped when target/js already has
   * node_modules installed from the same lock file.
   */
  private static Path installJsProject() throws IOException {
    Path source = moduleDir().resolve("src/test/js");
    Path target = moduleDir().resolve("target/js");
    Files.createDirectories(target);
    boolean sameLock = Files.exists(target.resolve("node_modules/.package-lock.json"))
        && Files.exists(target.resolve("package-lock.json"))
        && Files.mismatch(source.resolve("package-lock.json"), target.resolve("package-lock.json")) == -1;
    for (String file : List.of("package.json", "package-lock.json", "send-spans.mjs")) {
      Files.copy(source.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    jsDir = target;
    run(List.of("node", "--version"), Duration.ofSeconds(30));
    if (!sameLock) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), NPM_TIMEOUT);
    }
    return target;
  }

  private static Path moduleDir() {
    // Failsafe sets basedir; an IDE usually runs tests in the module directory.
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
  }

  /** Runs a command in target/js; fails with its output when it is missing, fails or hangs. */
  private static void run(List<String> command, Duration timeout) {
    Path log = jsDir.resolve("last-command.log");
    Process process;
    try {
      process = new ProcessBuilder(command).directory(jsDir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run '" + command.get(0) + "': node and npm must be installed and on the"
          + " PATH for this test (node >= 20.6, npm >= 9)", e);
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
            + read(log));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    assertThat(process.exitValue())
        .as("exit code of '%s', output:%n%s", String.join(" ", command), read(log))
        .isZero();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
