package io.tracemetrics.testsupport.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinariesTest {

  @TempDir
  Path dir;

  private Path onPath;
  private Path explicit;

  @BeforeEach
  void executables() throws Exception {
    Files.createDirectories(dir.resolve("bin"));
    onPath = executable(dir.resolve("bin/victoria-metrics"));
    explicit = executable(dir.resolve("my-vm"));
  }

  @Test
  void environmentVariableWinsOverPath() {
    Map<String, String> env = Map.of("VM_BIN", explicit.toString(), "PATH", dir.resolve("bin").toString());

    assertThat(Binaries.find("victoria-metrics", "VM_BIN", "victoria-metrics", env)).isEqualTo(explicit);
  }

  @Test
  void foundOnPathWhenNoVariable() {
    Map<String, String> env = Map.of("PATH", "/nonexistent:" + dir.resolve("bin"));

    assertThat(Binaries.find("victoria-metrics", "VM_BIN", "victoria-metrics", env)).isEqualTo(onPath);
  }

  @Test
  void missingBinaryTellsHowToInstallIt() {
    Map<String, String> env = Map.of("PATH", "/nonexistent");

    assertThatThrownBy(() -> Binaries.find("prometheus", "PROMETHEUS_BIN", "prometheus", env))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install prometheus")
        .hasMessageContaining("PROMETHEUS_BIN");
  }

  @Test
  void variablePointingAtNoExecutableIsAnError() {
    Map<String, String> env =
        Map.of("VM_BIN", dir.resolve("nothing").toString(), "PATH", dir.resolve("bin").toString());

    assertThatThrownBy(() -> Binaries.find("victoria-metrics", "VM_BIN", "victoria-metrics", env))
        .hasMessageContaining("VM_BIN=")
        .hasMessageContaining("not an executable");
  }

  private static Path executable(Path file) throws Exception {
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
