package io.tracemetrics.testsupport.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlinkConfigTest {

  private static final ClusterLayout LAYOUT =
      new ClusterLayout(Path.of("/tmp/fc"), 8081, 6123, 9249, 9250, 3, 2, 128);

  @Test
  void everyProcessListensOnLoopbackAndKnowsTheJobManagerPorts() {
    for (Map<String, String> config :
        List.of(FlinkConfig.jobManager(LAYOUT, Map.of()), FlinkConfig.taskManager(LAYOUT, Map.of()))) {
      assertThat(config).contains(
          Map.entry("jobmanager.rpc.address", "127.0.0.1"),
          Map.entry("jobmanager.rpc.port", "6123"),
          Map.entry("jobmanager.bind-host", "127.0.0.1"),
          Map.entry("rest.address", "127.0.0.1"),
          Map.entry("rest.bind-address", "127.0.0.1"),
          Map.entry("rest.port", "8081"),
          Map.entry("taskmanager.host", "127.0.0.1"),
          Map.entry("taskmanager.bind-host", "127.0.0.1"),
          Map.entry("taskmanager.numberOfTaskSlots", "3"),
          Map.entry("parallelism.default", "2"),
          Map.entry("execution.checkpointing.dir", "file:///tmp/fc/checkpoints"),
          Map.entry("metrics.reporter.prom.factory.class",
              "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"));
    }
  }

  @Test
  void eachProcessHasItsOwnReporterPortAndDirectories() {
    Map<String, String> jobManager = FlinkConfig.jobManager(LAYOUT, Map.of());
    Map<String, String> taskManager = FlinkConfig.taskManager(LAYOUT, Map.of());

    assertThat(jobManager).containsEntry("metrics.reporter.prom.port", "9249")
        .containsEntry("io.tmp.dirs", "/tmp/fc/jobmanager/tmp");
    assertThat(taskManager).containsEntry("metrics.reporter.prom.port", "9250")
        .containsEntry("io.tmp.dirs", "/tmp/fc/taskmanager/tmp");
  }

  @Test
  void taskManagerSetsEveryMemoryComponentItNeedsWithoutTheScripts() {
    assertThat(FlinkConfig.taskManager(LAYOUT, Map.of())).contains(
        Map.entry("taskmanager.cpu.cores", "3"),
        Map.entry("taskmanager.memory.task.heap.size", "128m"),
        Map.entry("taskmanager.memory.task.off-heap.size", "0m"),
        Map.entry("taskmanager.memory.network.min", "64m"),
        Map.entry("taskmanager.memory.network.max", "64m"),
        Map.entry("taskmanager.memory.managed.size", "64m"));
  }

  @Test
  void overridesWinOverTheLauncherDefaults() {
    Map<String, String> overrides = Map.of("parallelism.default", "4", "pipeline.object-reuse", "true");

    assertThat(FlinkConfig.taskManager(LAYOUT, overrides))
        .containsEntry("parallelism.default", "4")
        .containsEntry("pipeline.object-reuse", "true");
  }

  @Test
  void valuesAreSingleQuotedYamlScalars() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("execution.checkpointing.interval", "2 s");
    config.put("a.path", "file:///tmp/it's");

    assertThat(FlinkConfig.render(config)).endsWith(String.join("\n",
        "execution.checkpointing.interval: '2 s'",
        "a.path: 'file:///tmp/it''s'",
        ""));
  }
}
