package io.tracemetrics.job.replay;

/** One injected fault: what happens, and before which live tick of the corpus. */
record Fault(int tick, Kind kind) {

  enum Kind {
    /** The sink throws on its next write: Flink fails the task and restores from the last checkpoint. */
    TASK_FAILURE,
    /** The MiniCluster's task manager is terminated and a new one started: every task restores. */
    TASK_MANAGER_LOST,
    /** Stop with a savepoint, send two ticks while stopped, start again from it at the other parallelism. */
    SAVEPOINT_RESTART
  }

  @Override
  public String toString() {
    return kind + "@" + tick;
  }
}
