package io.tracemetrics.bench.compare.job;

import io.tracemetrics.job.JobOptions;
import io.tracemetrics.job.RedMetricsJob;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink job ({@link RedMetricsJob}) on a local MiniCluster in this JVM, the way {@link JobProcess}
 * runs it in a child JVM: a REST endpoint on a given port, checkpoints in files under a given directory and
 * retained when the job is cancelled or its JVM dies, and optionally a restore from a savepoint or a
 * retained checkpoint. Arguments: {@link JobProcessArgs}.
 *
 * <p>The state backend is what the demo uses, Flink's default (hashmap), with checkpoints in files. The
 * JVM exits when the job ends: 0 when it finished (a stop with a savepoint), 1 when it failed or was
 * cancelled.
 */
public final class JobProcessMain {
  private static final Logger LOG = LoggerFactory.getLogger(JobProcessMain.class);

  private JobProcessMain() {}

  public static void main(String[] args) {
    int code = 0;
    try {
      JobProcessArgs settings = JobProcessArgs.parse(args);
      JobOptions options = JobOptions.fromArgs(settings.jobArgs().toArray(String[]::new), System.getenv());
      LOG.info("Starting {} on a MiniCluster (REST port {}, parallelism {}, checkpoints in {}, restoring {}) with"
          + " options:{}", RedMetricsJob.JOB_NAME, settings.restPort(), settings.parallelism(),
          settings.checkpointDir(), settings.restoreFrom() == null ? "nothing" : settings.restoreFrom(), options);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(
          flinkConfiguration(settings)).setParallelism(settings.parallelism());
      RedMetricsJob.fromOptions(options).build(env);
      env.execute(RedMetricsJob.JOB_NAME);
      LOG.info("The job finished");
    } catch (Exception e) {
      LOG.error("The job ended abnormally", e);
      code = 1;
    }
    // Kafka and Flink leave non-daemon threads behind; the process is the job, so it ends with it.
    System.exit(code);
  }

  /** The MiniCluster's configuration for {@code settings}. */
  static Configuration flinkConfiguration(JobProcessArgs settings) {
    Configuration flink = new Configuration();
    flink.set(RestOptions.PORT, settings.restPort());
    flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    flink.set(CoreOptions.DEFAULT_PARALLELISM, settings.parallelism());
    // Files, as the demo: the default (the job manager's memory) refuses state over 5 MB.
    flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpointDir().toUri().toString());
    // What a pod that dies leaves behind for the next one: the newest checkpoint, also after a cancel.
    flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    if (settings.restoreFrom() != null) {
      flink.set(StateRecoveryOptions.SAVEPOINT_PATH, settings.restoreFrom().toUri().toString());
    }
    return flink;
  }
}
