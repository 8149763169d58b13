package io.tracemetrics.testsupport.flink;

import java.nio.file.Path;

/**
 * Where a {@link FlinkCluster}'s processes listen and keep their files, fixed before anything starts.
 *
 * @param root the cluster's temporary directory
 */
record ClusterLayout(
    Path root,
    int restPort,
    int rpcPort,
    int jobManagerMetricsPort,
    int taskManagerMetricsPort,
    int slots,
    int parallelism,
    int taskHeapMb) {

  Path jobManagerDir() {
    return root.resolve("jobmanager");
  }

  Path taskManagerDir() {
    return root.resolve("taskmanager");
  }

  /** The jobmanager's conf directory; the CLI reads it too, for the REST address. */
  Path jobManagerConfDir() {
    return jobManagerDir().resolve("conf");
  }

  Path taskManagerConfDir() {
    return taskManagerDir().resolve("conf");
  }

  Path checkpointDir() {
    return root.resolve("checkpoints");
  }

  Path jobManagerLog() {
    return root.resolve("jobmanager.log");
  }

  Path taskManagerLog() {
    return root.resolve("taskmanager.log");
  }
}
