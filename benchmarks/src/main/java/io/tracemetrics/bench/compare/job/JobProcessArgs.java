package io.tracemetrics.bench.compare.job;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link JobProcessMain}: its own settings as {@code --name=value} flags, then
 * {@code --}, then the job's options unchanged ({@code --kafka.bootstrap-servers=...}), which
 * {@link io.tracemetrics.job.JobOptions#fromArgs} reads and which must not see the flags before them.
 *
 * @param restPort the MiniCluster's REST port on 127.0.0.1
 * @param parallelism the job's parallelism (and so the MiniCluster's slots)
 * @param checkpointDir where checkpoints are written and retained
 * @param restoreFrom a savepoint or retained checkpoint to start from; null for a first start
 * @param jobArgs the job's own options
 */
record JobProcessArgs(int restPort, int parallelism, Path checkpointDir, Path restoreFrom, List<String> jobArgs) {
  private static final String REST_PORT = "--rest-port=";
  private static final String PARALLELISM = "--parallelism=";
  private static final String CHECKPOINT_DIR = "--checkpoint-dir=";
  private static final String RESTORE_FROM = "--restore-from=";
  private static final String JOB_ARGS = "--";

  JobProcessArgs {
    requireNonNull(checkpointDir, "checkpointDir");
    jobArgs = List.copyOf(jobArgs);
    if (restPort < 1 || restPort > 65_535) {
      throw new IllegalArgumentException("restPort out of range: " + restPort);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism below 1: " + parallelism);
    }
  }

  /** The arguments that {@link #parse} turns back into this. */
  List<String> toArgs() {
    List<String> args = new ArrayList<>(List.of(REST_PORT + restPort, PARALLELISM + parallelism,
        CHECKPOINT_DIR + checkpointDir));
    if (restoreFrom != null) {
      args.add(RESTORE_FROM + restoreFrom);
    }
    args.add(JOB_ARGS);
    args.addAll(jobArgs);
    return args;
  }

  static JobProcessArgs parse(String[] args) {
    Integer restPort = null;
    Integer parallelism = null;
    Path checkpointDir = null;
    Path restoreFrom = null;
    int i = 0;
    for (; i < args.length && !args[i].equals(JOB_ARGS); i++) {
      String arg = args[i];
      if (arg.startsWith(REST_PORT)) {
        restPort = Integer.parseInt(arg.substring(REST_PORT.length()));
      } else if (arg.startsWith(PARALLELISM)) {
        parallelism = Integer.parseInt(arg.substring(PARALLELISM.length()));
      } else if (arg.startsWith(CHECKPOINT_DIR)) {
        checkpointDir = Path.of(arg.substring(CHECKPOINT_DIR.length()));
      } else if (arg.startsWith(RESTORE_FROM)) {
        restoreFrom = Path.of(arg.substring(RESTORE_FROM.length()));
      } else {
        throw new IllegalArgumentException("unknown argument '" + arg + "' (the job's options follow '--')");
      }
    }
    if (restPort == null || parallelism == null || checkpointDir == null) {
      throw new IllegalArgumentException("usage: " + REST_PORT + "<port> " + PARALLELISM + "<n> " + CHECKPOINT_DIR
          + "<dir> [" + RESTORE_FROM + "<savepoint or chk-N dir>] -- <job options>");
    }
    List<String> jobArgs = i < args.length ? List.of(args).subList(i + 1, args.length) : List.of();
    return new JobProcessArgs(restPort, parallelism, checkpointDir, restoreFrom, jobArgs);
  }
}
