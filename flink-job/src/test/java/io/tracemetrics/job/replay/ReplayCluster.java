package io.tracemetrics.job.replay;

import io.tracemetrics.job.FailOnceSink;
import io.tracemetrics.job.JobOptions;
import io.tracemetrics.job.RedMetricsJob;
import io.tracemetrics.testsupport.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MiniCluster (one task manager, two slots) running the job through its public entry points, with the
 * real fault mechanisms: a failing sink write, a lost task manager, stop-with-savepoint and a restore at
 * another parallelism.
 */
final class ReplayCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayCluster.class);
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  static final Duration SAVEPOINT_PATIENCE = Duration.ofSeconds(30);

  private final MiniCluster cluster;
  private int taskManagers = 1;

  ReplayCluster() throws Exception {
    Configuration config = new Configuration();
    config.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
    config.set(RestOptions.BIND_PORT, "0"); // any free port: 8081 may be another cluster's
    cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(config).setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
    cluster.start();
  }

  /** Submits the job; {@code savepoint} null for a first start. */
  JobClient start(String[] jobArgs, int parallelism, String savepoint) throws Exception {
    Configuration config = new Configuration();
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 50);
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    if (savepoint != null) {
      config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    TestStreamEnvironment env = new TestStreamEnvironment(cluster, config, parallelism, List.of(), List.of());
    env.setParallelism(parallelism);
    JobOptions options = JobOptions.fromArgs(jobArgs, Map.of());
    new RedMetricsJob(options, RedMetricsJob.kafkaSource(options),
        new FailOnceSink(RedMetricsJob.remoteWriteSink(options))).build(env);
    JobClient job = env.executeAsync("replay check p=" + parallelism);
    awaitRunning(job);
    return job;
  }

  /**
   * Arms the failing sink and waits until the task failed (on the next window's output); false, disarmed,
   * when the job wrote nothing for {@link #SAVEPOINT_PATIENCE}.
   */
  boolean failTask() {
    int before = FailOnceSink.FAILURES.get();
    FailOnceSink.ARMED.set(true);
    if (Await.tryUntil(() -> FailOnceSink.FAILURES.get() > before, SAVEPOINT_PATIENCE)) {
      return true;
    }
    FailOnceSink.ARMED.set(false);
    return false;
  }

  void loseTaskManager() throws Exception {
    cluster.terminateTaskManager(taskManagers - 1).get(30, TimeUnit.SECONDS);
    cluster.startTaskManager();
    taskManagers++;
  }

  /**
   * Stops the job with a savepoint, or returns null when the job does not complete one within
   * {@link #SAVEPOINT_PATIENCE} (it keeps running then). A stop right after a restart can be refused at
   * once while tasks are still deploying, so that is tried again.
   */
  String stopWithSavepoint(JobClient job, Path directory) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      awaitRunning(job);
      try {
        return job.stopWithSavepoint(false, directory.toUri().toString(), SavepointFormatType.CANONICAL)
            .get(SAVEPOINT_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.warn("no savepoint within {}", SAVEPOINT_PATIENCE);
        return null;
      } catch (ExecutionException e) {
        LOG.info("stop-with-savepoint refused, trying again: {}", e.toString());
        Thread.sleep(300);
      }
    }
    return null;
  }

  static void cancel(JobClient job) {
    try {
      if (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
        job.cancel().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("could not cancel {}", job.getJobID(), e);
    }
  }

  private static void awaitRunning(JobClient job) {
    Await.until(() -> {
      JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
      if (status.isGloballyTerminalState()) {
        throw new IllegalStateException("the job ended: " + status);
      }
      return status == JobStatus.RUNNING;
    }, PATIENCE, "the job running");
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
