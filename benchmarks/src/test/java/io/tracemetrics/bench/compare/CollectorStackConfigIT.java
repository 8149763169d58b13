package io.tracemetrics.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.testsupport.peers.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Collector peer accepts both of the comparison's configurations ({@code otelcol validate}). */
class CollectorStackConfigIT {

  @Test
  void theSeedsAndTheRemoteWriteConfigurationsAreValid(@TempDir Path dir) throws Exception {
    assertValid(dir, "seed.yaml", CollectorStack.seedConfig());
    assertValid(dir, "remote-write.yaml", CollectorStack.remoteWriteConfig("http://127.0.0.1:8428/api/v1/write"));
  }

  @Test
  void aBrokenConfigurationIsRefused(@TempDir Path dir) throws Exception {
    Process validate = validate(dir, "broken.yaml", CollectorStack.seedConfig().replace("spanmetrics:\n    namespace",
        "spanmetrics:\n    no_such_setting: 1\n    namespace"));
    assertThat(validate.exitValue()).as("exit code of validate on an unknown setting").isNotZero();
  }

  private static void assertValid(Path dir, String name, String yaml) throws Exception {
    Process validate = validate(dir, name, yaml);
    assertThat(validate.exitValue())
        .as("otelcol validate %s:%n%s", name, new String(validate.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isZero();
  }

  private static Process validate(Path dir, String name, String yaml) throws Exception {
    Path config = Files.writeString(dir.resolve(name), yaml.replaceAll("\\$\\{PORT_(\\d)}", "1000$1"));
    Process validate = new ProcessBuilder(Peers.OTELCOL.path().toString(), "validate", "--config", config.toString())
        .redirectErrorStream(true).start();
    assertThat(validate.waitFor(60, TimeUnit.SECONDS)).as("validate ended").isTrue();
    return validate;
  }
}
