package io.tracemetrics.bench.compare.job;

import static java.util.Objects.requireNonNull;

import io.tracemetrics.testsupport.FreePorts;
import io.tracemetrics.testsupport.flink.FlinkRest;
import io.tracemetrics.testsupport.process.ChildProcess;
import io.tracemetrics.testsupport.process.WorkDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink job in a child JVM ({@link JobProcessMain} from this JVM's class path, on its own MiniCluster),
 * so a benchmark can measure its CPU and memory apart from the load generator's and take it down the ways
 * a deployment loses it: stopped with a savepoint (an upgrade), or killed (a crashed pod) and restarted from
 * its newest retained checkpoint.
 *
 * <p>The checkpoint directory belongs to the caller: it outlives the process, so the next one can restore
 * from it. The process's own directory (its log, {@code job.log}) is deleted on {@link #close()}.
 */
public final class JobProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobProcess.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration SAVEPOINT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern CHECKPOINT_DIR = Pattern.compile("chk-\\d+");
  /** INFO to stdout (the child's log file), Flink's and Kafka's chatter at WARN, as the demo logs. */
  private static final String LOG_CONFIG = String.join("\n",
      "appender.out.type = Console",
      "appender.out.name = out",
      "appender.out.layout.type = PatternLayout",
      "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p [%t] %c{1} - %m%n",
      "rootLogger.level = INFO",
      "rootLogger.appenderRef.out.ref = out",
      "logger.flink.name = org.apache.flink",
      "logger.flink.level = WARN",
      "logger.kafka.name = org.apache.kafka",
      "logger.kafka.level = WARN",
      "");

  private final WorkDir workDir;
  private final ChildProcess process;
  private final FlinkRest rest;
  private final String restUrl;
  private final JobID jobId;

  private JobProcess(WorkDir workDir, ChildProcess process, String restUrl, JobID jobId) {
    this.workDir = workDir;
    this.process = process;
    this.restUrl = restUrl;
    this.rest = new FlinkRest(restUrl);
    this.jobId = jobId;
  }

  /**
   * Starts the job in a child JVM and waits until it and all its tasks run.
   *
   * @param jobArgs the job's options, {@code --kafka.bootstrap-servers=...} and so on
   *     ({@link io.tracemetrics.job.JobOptions})
   * @param checkpointDir where checkpoints go (under a directory per job id) and stay
   * @param restoreFrom a savepoint ({@link #stopWithSavepoint}) or retained checkpoint
   *     ({@link #newestRetainedCheckpoint}) to start from; null for a first start
   * @param heapMb the child JVM's heap, {@code -Xms} and {@code -Xmx}
   */
  public static JobProcess start(List<String> jobArgs, Path checkpointDir, Path restoreFrom, int parallelism,
      int heapMb) {
    requireNonNull(jobArgs, "jobArgs");
    requireNonNull(checkpointDir, "checkpointDir");
    JobProcessArgs args = new JobProcessArgs(FreePorts.pick(), parallelism, checkpointDir.toAbsolutePath(),
        restoreFrom == null ? null : restoreFrom.toAbsolutePath(), jobArgs);
    WorkDir workDir = WorkDir.create("job-process");
    try {
      long started = System.nanoTime();
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xms" + heapMb + "m", "-Xmx" + heapMb + "m",
          // Explicit, or the child would take whatever log4j2 file its class path holds first.
          "-Dlog4j2.configurationFile=" + workDir.write("log4j2.properties", LOG_CONFIG),
          "-cp", System.getProperty("java.class.path"),
          JobProcessMain.class.getName()));
      command.addAll(args.toArgs());
      ChildProcess process = ChildProcess.start("flink-job", command, workDir.resolve("job.log"));
      String restUrl = "http://127.0.0.1:" + args.restPort();
      FlinkRest rest = new FlinkRest(restUrl);
      AtomicReference<JobID> running = new AtomicReference<>();
      process.awaitReady(() -> {
        running.set(runningJob(rest).orElse(null));
        return running.get() != null;
      }, START_TIMEOUT, "the job and all its tasks RUNNING at " + restUrl);
      LOG.info("Job {} running in pid {} after {} ms (REST {}, restored from {})", running.get(), process.pid(),
          Duration.ofNanos(System.nanoTime() - started).toMillis(), restUrl,
          restoreFrom == null ? "nothing" : restoreFrom);
      return new JobProcess(workDir, process, restUrl, running.get());
    } catch (RuntimeException e) {
      workDir.close();
      throw e;
    }
  }

  /** The MiniCluster's one job when it and all its tasks run; empty while REST is not up or it deploys. */
  private static Optional<JobID> runningJob(FlinkRest rest) {
    List<JobID> ids;
    try {
      ids = rest.jobIds();
    } catch (IllegalStateException e) {
      return Optional.empty(); // the REST endpoint is not listening yet
    }
    return ids.stream().findFirst()
        .filter(id -> rest.tryJob(id).map(FlinkRest.JobDetails::allRunning).orElse(false));
  }

  /** The child JVM's process id. */
  public long pid() {
    return process.pid();
  }

  /** The MiniCluster's REST endpoint (and web UI), {@code http://127.0.0.1:<port>}. */
  public String restUrl() {
    return restUrl;
  }

  public JobID jobId() {
    return jobId;
  }

  /**
   * Stops the job with a savepoint in {@code targetDir} (no drain) and waits until the process has exited.
   *
   * @return the savepoint's location, as Flink reports it (a {@code file:} URI)
   */
  public String stopWithSavepoint(Path targetDir) {
    String target = targetDir.toAbsolutePath().toUri().toString();
    String location;
    try {
      location = rest.stopWithSavepoint(jobId, target, SAVEPOINT_TIMEOUT);
    } catch (IllegalStateException e) {
      if (!(e.getCause() instanceof IOException)) {
        throw e;
      }
      // The MiniCluster ends with its job, so its REST endpoint may be gone before the savepoint's status was
      // read: the savepoint is then the one this job completed (its _metadata written) in the directory.
      process.waitFor(EXIT_TIMEOUT);
      location = completedSavepoint(targetDir).map(dir -> dir.toUri().toString())
          .orElseThrow(() -> new IllegalStateException("the job process's REST endpoint went away during the"
              + " stop-with-savepoint and " + targetDir + " holds no completed savepoint of job " + jobId
              + "; last lines of " + process.logFile() + ":\n" + process.logTail(40), e));
    }
    if (!process.waitFor(EXIT_TIMEOUT)) {
      LOG.warn("The job process {} still runs {} s after its savepoint; stopping it", pid(),
          EXIT_TIMEOUT.toSeconds());
      process.stop(Duration.ofSeconds(10));
    }
    LOG.info("Job {} stopped with savepoint {}", jobId, location);
    return location;
  }

  /** This job's completed savepoint in {@code targetDir}: Flink names it {@code savepoint-<job id[0:6]>-...}. */
  private Optional<Path> completedSavepoint(Path targetDir) {
    String prefix = "savepoint-" + jobId.toHexString().substring(0, 6) + "-";
    try (Stream<Path> savepoints = Files.list(targetDir)) {
      return savepoints.filter(dir -> dir.getFileName().toString().startsWith(prefix))
          .filter(dir -> Files.isRegularFile(dir.resolve("_metadata")))
          .max(Comparator.comparing(JobProcess::metadataTime));
    } catch (IOException e) {
      return Optional.empty(); // no directory: no savepoint
    }
  }

  /** Kills the process with SIGKILL, as a crashed pod dies: only its retained checkpoints remain. */
  public void kill() {
    process.kill();
  }

  /**
   * The newest retained checkpoint under {@code checkpointDir}: of the {@code <job id>/chk-<n>} directories
   * holding a {@code _metadata} file (Flink writes it last), the one whose file is newest, then the highest n.
   * A job restored from a savepoint has a new job id, so every job-id directory counts.
   */
  public static Optional<Path> newestRetainedCheckpoint(Path checkpointDir) {
    if (!Files.isDirectory(checkpointDir)) {
      return Optional.empty();
    }
    try (Stream<Path> jobs = Files.list(checkpointDir)) {
      List<Path> completed = new ArrayList<>();
      for (Path job : jobs.filter(Files::isDirectory).toList()) {
        try (Stream<Path> checkpoints = Files.list(job)) {
          checkpoints.filter(dir -> CHECKPOINT_DIR.matcher(dir.getFileName().toString()).matches())
              .filter(dir -> Files.isRegularFile(dir.resolve("_metadata")))
              .forEach(completed::add);
        }
      }
      return completed.stream()
          .max(Comparator.comparing(JobProcess::metadataTime).thenComparingLong(JobProcess::checkpointNumber));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the checkpoints under " + checkpointDir, e);
    }
  }

  private static FileTime metadataTime(Path checkpoint) {
    try {
      return Files.getLastModifiedTime(checkpoint.resolve("_metadata"));
    } catch (IOException e) {
      return FileTime.fromMillis(0); // subsumed and deleted while listing: the oldest
    }
  }

  private static long checkpointNumber(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
  }

  /**
   * Ends the process if it still runs (SIGTERM, SIGKILL after 30 s; its checkpoints are retained) and
   * deletes its own directory; the checkpoint directory stays.
   */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.stop(Duration.ofSeconds(30));
      }
    } finally {
      workDir.close();
    }
  }
}
