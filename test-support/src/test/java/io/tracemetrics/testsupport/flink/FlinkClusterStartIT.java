package io.tracemetrics.testsupport.flink;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A cluster that cannot start says why, with the log of the process that failed. */
class FlinkClusterStartIT {

  @Test
  void taskManagerThatCannotStartFailsTheStartWithItsLogTail() {
    FlinkCluster.Builder builder = FlinkCluster.builder()
        // Network memory whose minimum exceeds its maximum: the taskmanager refuses it at start-up.
        .property("taskmanager.memory.network.min", "128m")
        .startTimeout(Duration.ofSeconds(60));

    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("taskmanager exited during start-up")
        .hasMessageContaining("taskmanager log")
        .hasMessageContaining("network memory min (128 mb) and max (64 mb) mismatch");
  }
}
