package io.tracemetrics.testsupport.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class path the build writes for the cluster: Flink's lib/, and nothing a job would bring itself. */
class FlinkClasspathTest {

  @TempDir
  Path dir;

  @Test
  void buildWritesFlinksOwnJarsAndALog4jBinding() {
    List<String> jars = jarNames(FlinkClasspath.read(FlinkClasspath.defaultFile()));

    assertThat(jars).anyMatch(jar -> jar.startsWith("flink-runtime-2"))
        .anyMatch(jar -> jar.startsWith("flink-clients-"))
        .anyMatch(jar -> jar.startsWith("flink-streaming-java-"))
        .anyMatch(jar -> jar.startsWith("flink-runtime-web-"))
        .anyMatch(jar -> jar.startsWith("flink-metrics-prometheus-"))
        .anyMatch(jar -> jar.startsWith("flink-rpc-akka-loader-"))
        .anyMatch(jar -> jar.startsWith("log4j-slf4j2-impl-"))
        .anyMatch(jar -> jar.startsWith("log4j-core-"));
  }

  @Test
  void buildKeepsTheJobTheBrokerAndTheGatewayOut() {
    List<String> jars = jarNames(FlinkClasspath.read(FlinkClasspath.defaultFile()));

    // On a real cluster these come only from the submitted jar (or do not exist there at all).
    assertThat(jars).noneMatch(jar -> jar.startsWith("flink-job-")
        || jar.startsWith("remote-write-sink-")
        || jar.startsWith("otlp-gateway-")
        || jar.startsWith("flink-connector-kafka-")
        || jar.startsWith("flink-connector-base-")
        || jar.startsWith("kafka")
        || jar.startsWith("scala-")
        || jar.startsWith("opentelemetry-")
        || jar.startsWith("protobuf-")
        || jar.startsWith("grpc-")
        || jar.startsWith("guava-")
        || jar.startsWith("jackson-")
        || jar.startsWith("junit-"));
  }

  @Test
  void missingFileSaysToBuildFirst() {
    assertThatThrownBy(() -> FlinkClasspath.read(dir.resolve("flink-classpath.txt")))
        .hasMessageContaining("run 'mvn -pl test-support package' first");
  }

  @Test
  void entryThatNoLongerExistsIsReportedAsStale() throws Exception {
    Path file = Files.writeString(dir.resolve("flink-classpath.txt"), dir.resolve("gone.jar").toString());

    assertThatThrownBy(() -> FlinkClasspath.read(file)).hasMessageContaining("stale").hasMessageContaining("gone.jar");
  }

  private static List<String> jarNames(String classpath) {
    return FlinkClasspath.entries(classpath).stream().map(entry -> Path.of(entry).getFileName().toString()).toList();
  }
}
