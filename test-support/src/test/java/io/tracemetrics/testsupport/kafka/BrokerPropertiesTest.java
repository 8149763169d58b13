package io.tracemetrics.testsupport.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

  private static final Map<String, String> DEFAULTS = BrokerProperties.of(9092, 9093, Path.of("/tmp/k"), Map.of());

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "process.roles                            | broker,controller",
      "listeners                                | PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093",
      "advertised.listeners                     | PLAINTEXT://127.0.0.1:9092",
      "controller.quorum.voters                 | 1@127.0.0.1:9093",
      "log.dirs                                 | /tmp/k",
      "auto.create.topics.enable                | true",
      "offsets.topic.replication.factor         | 1",
      "transaction.state.log.replication.factor | 1",
      "transaction.state.log.min.isr            | 1",
      "group.initial.rebalance.delay.ms         | 0",
  })
  void singleNodeBrokerSetting(String key, String expected) {
    assertThat(DEFAULTS).containsEntry(key, expected);
  }

  @Test
  void overrideReplacesDefault() {
    Map<String, String> props = BrokerProperties.of(1, 2, Path.of("/d"), Map.of("num.partitions", "4"));

    assertThat(props).containsEntry("num.partitions", "4");
  }

  @Test
  void renderedFileHasOneLinePerSetting() {
    String file = BrokerProperties.render(DEFAULTS);

    assertThat(file.lines()).hasSize(DEFAULTS.size()).contains("node.id=1");
  }
}
