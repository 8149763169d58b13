package io.tracemetrics.testsupport.flink;

import static java.util.Objects.requireNonNull;

import io.tracemetrics.testsupport.Await;
import io.tracemetrics.testsupport.FreePorts;
import io.tracemetrics.testsupport.process.ChildProcess;
import io.tracemetrics.testsupport.process.WorkDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real standalone Flink session cluster on 127.0.0.1: a jobmanager
 * ({@code StandaloneSessionClusterEntrypoint}) and one taskmanager ({@code TaskManagerRunner}) in child JVMs,
 * each with its own conf directory and Prometheus reporter port. Jobs are submitted as on any cluster, with
 * {@code flink run -d <jar>} ({@code CliFrontend}) in a third JVM.
 *
 * <p>The JVMs run Flink's own jars only (the {@code flink-classpath.txt} the build writes, see
 * {@link FlinkClasspath}): a job's classes come from the jar it was submitted with, as in production. Every
 * file (conf, logs {@code jobmanager.log}, {@code taskmanager.log}, {@code cli-<n>.log}, checkpoints, blobs)
 * lives in one temporary directory, deleted on {@link #close()}.
 */
public final class FlinkCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FlinkCluster.class);
  private static final int LOG_TAIL_LINES = 60;
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(30);

  private final ClusterLayout layout;
  private final String classpath;
  private final Duration submitTimeout;
  private final WorkDir workDir;
  private final FlinkRest rest;
  private final AtomicInteger submissions = new AtomicInteger();
  private ChildProcess jobManager;
  private ChildProcess taskManager;

  private FlinkCluster(ClusterLayout layout, String classpath, Duration submitTimeout, WorkDir workDir) {
    this.layout = layout;
    this.classpath = classpath;
    this.submitTimeout = submitTimeout;
    this.workDir = workDir;
    this.rest = new FlinkRest(restUrl());
  }

  /** Starts a cluster with every default. */
  public static FlinkCluster start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:<rest.port>}: the REST API and web UI. */
  public String restUrl() {
    return "http://127.0.0.1:" + layout.restPort();
  }

  /** The jobmanager's Prometheus reporter port (the reporter binds every interface: Flink has no host option). */
  public int jobManagerMetricsPort() {
    return layout.jobManagerMetricsPort();
  }

  /** The taskmanager's Prometheus reporter port. */
  public int taskManagerMetricsPort() {
    return layout.taskManagerMetricsPort();
  }

  /** The cluster's temporary directory (conf, logs, checkpoints). */
  public Path workDir() {
    return workDir.path();
  }

  /**
   * Runs {@code flink run -d jar programArgs} against this cluster and returns the id the client printed. The
   * call returns once the job is accepted; use {@link #awaitRunning} before feeding it.
   */
  public JobID submit(Path jar, String... programArgs) {
    requireNonNull(jar, "jar");
    requireNonNull(programArgs, "programArgs");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no job jar at " + jar.toAbsolutePath());
    }
    Path log = workDir.resolve("cli-" + submissions.incrementAndGet() + ".log");
    JobID id = FlinkCli.runDetached(classpath, layout, log, jar.toAbsolutePath(), List.of(programArgs), submitTimeout);
    LOG.info("Submitted {} to {} as job {}", jar.getFileName(), restUrl(), id);
    return id;
  }

  /** The job's state, as the jobmanager reports it. */
  public JobStatus jobStatus(JobID id) {
    return rest.job(requireNonNull(id, "id")).status();
  }

  /** Ids of every job the cluster knows (running or not), from {@code /jobs/overview}. */
  public List<JobID> jobIds() {
    return rest.jobIds();
  }

  /**
   * Waits until the job and all its vertices are {@code RUNNING}. Fails at once with the job's newest exception
   * when it ends (failed, cancelled, finished), and with the taskmanager's log after {@code timeout}.
   */
  public void awaitRunning(JobID id, Duration timeout) {
    requireNonNull(id, "id");
    requireNonNull(timeout, "timeout");
    FlinkRest.JobDetails details = Await.poll(() -> {
      FlinkRest.JobDetails now = rest.job(id);
      if (!now.allRunning() && now.status().isGloballyTerminalState()) {
        throw new IllegalStateException("job " + id + " ended " + now.status() + " before running: "
            + rest.newestException(id));
      }
      return now;
    }, FlinkRest.JobDetails::allRunning, timeout, POLL);
    if (!details.allRunning()) {
      throw new IllegalStateException("job " + id + " not running after " + timeout.toSeconds() + " s: "
          + details + "; taskmanager log " + layout.taskManagerLog() + ", last lines:\n"
          + taskManager.logTail(LOG_TAIL_LINES));
    }
    LOG.info("Job {} running: {}", id, details.vertices().keySet());
  }

  /** Cancels the job and waits until it is {@code CANCELED} (or ended otherwise), at most 30 s. */
  public void cancel(JobID id) {
    requireNonNull(id, "id");
    rest.cancel(id);
    JobStatus status = Await.poll(() -> jobStatus(id), JobStatus::isGloballyTerminalState, CANCEL_TIMEOUT, POLL);
    if (!status.isGloballyTerminalState()) {
      throw new IllegalStateException("job " + id + " still " + status + " " + CANCEL_TIMEOUT.toSeconds()
          + " s after cancel");
    }
    LOG.info("Job {} {}", id, status);
  }

  /** Kills both processes (the data is thrown away, so no graceful shutdown) and deletes the directory. */
  @Override
  public synchronized void close() {
    try {
      kill(taskManager);
      kill(jobManager);
      LOG.info("Stopped Flink cluster {}", restUrl());
    } finally {
      taskManager = null;
      jobManager = null;
      workDir.close();
    }
  }

  private void launch(Duration startTimeout) {
    // Both at once: the taskmanager retries its registration until the jobmanager's RPC port answers.
    jobManager = ChildProcess.start("Flink jobmanager " + restUrl(),
        FlinkJvm.jobManager(classpath, layout), layout.jobManagerLog());
    taskManager = ChildProcess.start("Flink taskmanager", FlinkJvm.taskManager(classpath, layout),
        layout.taskManagerLog());
    try {
      jobManager.awaitReady(this::taskManagerRegistered, startTimeout,
          "a taskmanager with " + layout.slots() + " slots in " + restUrl() + "/overview");
    } catch (RuntimeException e) {
      String taskManagerTail = taskManager.logTail(LOG_TAIL_LINES);
      kill(taskManager);
      kill(jobManager);
      throw new IllegalStateException(e.getMessage() + "\ntaskmanager log " + layout.taskManagerLog()
          + ", last lines:\n" + taskManagerTail, e);
    }
    LOG.info("Flink cluster ready: REST {}, {} slots, Prometheus reporters jobmanager :{} taskmanager :{}, dir {}",
        restUrl(), layout.slots(), jobManagerMetricsPort(), taskManagerMetricsPort(), workDir.path());
  }

  private boolean taskManagerRegistered() {
    if (!taskManager.isAlive()) {
      // The launch's failure handler adds the taskmanager's log, which says why.
      throw new IllegalStateException("the Flink taskmanager exited during start-up");
    }
    return rest.offers(1, layout.slots());
  }

  private static void kill(ChildProcess process) {
    if (process != null && process.isAlive()) {
      process.kill();
    }
  }

  /** Options of a {@link FlinkCluster}; every one has a default. */
  public static final class Builder {
    private int restPort;
    private int slots = 2;
    private int parallelism = 1;
    private int taskHeapMb = 256;
    private Duration startTimeout = Duration.ofSeconds(90);
    private Duration submitTimeout = Duration.ofSeconds(120);
    private Path classpathFile;
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Builder() {}

    /** REST port on 127.0.0.1. Default 0: a free port. */
    public Builder restPort(int restPort) {
      if (restPort < 0 || restPort > 65_535) {
        throw new IllegalArgumentException("port out of range: " + restPort);
      }
      this.restPort = restPort;
      return this;
    }

    /** Task slots of the one taskmanager ({@code taskmanager.numberOfTaskSlots}). Default 2. */
    public Builder slots(int slots) {
      this.slots = positive(slots, "slots");
      return this;
    }

    /** {@code parallelism.default}: the parallelism of a job that sets none. Default 1. */
    public Builder parallelism(int parallelism) {
      this.parallelism = positive(parallelism, "parallelism");
      return this;
    }

    /** {@code taskmanager.memory.task.heap.size} in MiB; the JVM's -Xmx adds 64 MiB of framework heap. Default 256. */
    public Builder taskHeapMb(int taskHeapMb) {
      this.taskHeapMb = positive(taskHeapMb, "taskHeapMb");
      return this;
    }

    /** How long the processes may take until the taskmanager's slots show in REST. Default 90 s. */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = requireNonNull(startTimeout, "startTimeout");
      return this;
    }

    /** How long one {@code flink run} may take. Default 120 s. */
    public Builder submitTimeout(Duration submitTimeout) {
      this.submitTimeout = requireNonNull(submitTimeout, "submitTimeout");
      return this;
    }

    /** The class path file of the cluster's JVMs. Default: {@code flink-classpath.txt} in test-support's target/. */
    public Builder classpathFile(Path classpathFile) {
      this.classpathFile = requireNonNull(classpathFile, "classpathFile");
      return this;
    }

    /** Sets or overrides one {@code config.yaml} entry of both processes. Default: none. */
    public Builder property(String key, String value) {
      properties.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** Writes both conf directories, starts the jobmanager and the taskmanager, waits until the slots show. */
    public FlinkCluster start() {
      String classpath = FlinkClasspath.read(classpathFile != null ? classpathFile : FlinkClasspath.defaultFile());
      WorkDir workDir = WorkDir.create("flink-cluster");
      try {
        ClusterLayout layout = new ClusterLayout(workDir.path(), restPort == 0 ? FreePorts.pick() : restPort,
            FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), slots, parallelism, taskHeapMb);
        FlinkConfig.write(layout.jobManagerConfDir(), FlinkConfig.jobManager(layout, properties));
        FlinkConfig.write(layout.taskManagerConfDir(), FlinkConfig.taskManager(layout, properties));
        FlinkCluster cluster = new FlinkCluster(layout, classpath, submitTimeout, workDir);
        cluster.launch(startTimeout);
        return cluster;
      } catch (RuntimeException e) {
        workDir.close();
        throw e;
      }
    }

    private static int positive(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1: " + value);
      }
      return value;
    }
  }
}
