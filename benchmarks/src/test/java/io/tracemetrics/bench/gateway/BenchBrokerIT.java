package io.tracemetrics.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.testsupport.kafka.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's broker: a production JVM, its directory where asked, a log bounded per partition. */
class BenchBrokerIT {

  @Test
  void runsAProductionJvmUnderTheGivenDirectoryWithABoundedLog(@TempDir Path parent) throws Exception {
    try (KafkaBroker broker = GatewayLoad.benchBroker(parent).start()) {
      assertThat(broker.workDir().getParent()).isEqualTo(parent);
      List<String> jvmArgs = List.of(Files.readString(Path.of("/proc", Long.toString(broker.pid()), "cmdline"))
          .split("\0"));
      assertThat(jvmArgs).contains("-XX:+UseG1GC", "-Xms" + GatewayLoad.BROKER_HEAP_MB + "m")
          .noneMatch(arg -> arg.startsWith("-XX:TieredStopAtLevel"));

      broker.createTopic(GatewayLoad.TOPIC, 2);
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, GatewayLoad.TOPIC);
        Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
        assertThat(config.get("retention.bytes").value()).isEqualTo(Long.toString(128L << 20));
        assertThat(config.get("segment.bytes").value()).isEqualTo(Long.toString(64L << 20));
      }
    }
    try (var left = Files.list(parent)) {
      assertThat(left).as("the broker's directory is deleted on close").isEmpty();
    }
  }
}
