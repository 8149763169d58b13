package io.tracemetrics.testsupport.flink;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkClusterTest {

  @TempDir
  Path dir;

  @Test
  void startWithoutTheClasspathFileSaysToBuildFirst() {
    FlinkCluster.Builder builder = FlinkCluster.builder().classpathFile(dir.resolve("flink-classpath.txt"));

    assertThatThrownBy(builder::start).hasMessageContaining("run 'mvn -pl test-support package' first");
  }

  @Test
  void builderRejectsNonsenseAtOnce() {
    assertThatThrownBy(() -> FlinkCluster.builder().slots(0)).hasMessageContaining("slots");
    assertThatThrownBy(() -> FlinkCluster.builder().restPort(70_000)).hasMessageContaining("out of range");
    assertThatThrownBy(() -> FlinkCluster.builder().property("k", null)).isInstanceOf(NullPointerException.class);
  }
}
