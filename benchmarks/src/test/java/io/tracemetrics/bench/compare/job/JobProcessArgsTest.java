package io.tracemetrics.bench.compare.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobProcessArgsTest {
  private static final List<String> JOB_ARGS = List.of("--kafka.bootstrap-servers=127.0.0.1:9092", "--window.size=2s");

  @Test
  void theArgumentsParseBackIntoTheSameSettings() {
    JobProcessArgs first = new JobProcessArgs(8081, 2, Path.of("/tmp/checkpoints"), null, JOB_ARGS);
    JobProcessArgs restored =
        new JobProcessArgs(8081, 2, Path.of("/tmp/checkpoints"), Path.of("/tmp/sp/savepoint-1"), JOB_ARGS);

    assertThat(JobProcessArgs.parse(first.toArgs().toArray(String[]::new))).isEqualTo(first);
    assertThat(JobProcessArgs.parse(restored.toArgs().toArray(String[]::new))).isEqualTo(restored);
    assertThat(restored.toArgs()).endsWith("--", JOB_ARGS.get(0), JOB_ARGS.get(1));
  }

  @Test
  void unknownOrMissingSettingsAreRefused() {
    assertThatThrownBy(() -> JobProcessArgs.parse(new String[] {"--rest-port=1", "--kafka.topic=x"}))
        .hasMessageContaining("'--kafka.topic=x'");
    assertThatThrownBy(() -> JobProcessArgs.parse(new String[] {"--rest-port=1", "--", "--kafka.topic=x"}))
        .hasMessageContaining("usage");
  }

  @Test
  void theMiniClusterChecksPointsIntoTheDirectoryRetainsThemAndRestoresWhenAsked() {
    Map<String, String> first = JobProcessMain.flinkConfiguration(
        new JobProcessArgs(18081, 3, Path.of("/tmp/checkpoints"), null, JOB_ARGS)).toMap();
    Map<String, String> restored = JobProcessMain.flinkConfiguration(
        new JobProcessArgs(18081, 3, Path.of("/tmp/checkpoints"), Path.of("/tmp/chk-7"), JOB_ARGS)).toMap();

    assertThat(first).containsEntry("rest.port", "18081")
        .containsEntry("rest.bind-address", "127.0.0.1")
        .containsEntry("parallelism.default", "3")
        .containsEntry("execution.checkpointing.dir", Path.of("/tmp/checkpoints").toUri().toString())
        .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION")
        .doesNotContainKey("execution.state-recovery.path");
    assertThat(restored).containsEntry("execution.state-recovery.path", Path.of("/tmp/chk-7").toUri().toString());
  }
}
