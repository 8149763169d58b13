package io.tracemetrics.testsupport.process;

import static java.util.Objects.requireNonNull;

import io.tracemetrics.testsupport.Await;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One operating-system process started by a launcher, its stdout and stderr appended to a log file.
 *
 * <p>Every live child is killed by a JVM shutdown hook, so a test JVM that exits without closing its
 * launchers (a failed {@code @BeforeAll}, Ctrl-C on the demo) leaves no broker or store behind.
 */
public final class ChildProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final int TAIL_LINES = 40;

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "child-process-reaper"));
  }

  private final String name;
  private final Path logFile;
  private final Process process;

  private ChildProcess(String name, Path logFile, Process process) {
    this.name = name;
    this.logFile = logFile;
    this.process = process;
  }

  /**
   * Starts {@code command} with its output appended to {@code logFile} (created if missing, so a restart
   * keeps the earlier run's lines above the new ones).
   */
  public static ChildProcess start(String name, List<String> command, Path logFile) {
    requireNonNull(name, "name");
    requireNonNull(command, "command");
    requireNonNull(logFile, "logFile");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    try {
      Process process = builder.start();
      LIVE.add(process);
      LOG.info("Started {} (pid {}), log {}", name, process.pid(), logFile);
      return new ChildProcess(name, logFile, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Polls {@code ready} until it returns true. Fails with the last lines of the log when the process exits
   * first or {@code timeout} passes; the process is killed in both cases, so a failed start leaves nothing.
   */
  public void awaitReady(BooleanSupplier ready, Duration timeout, String what) {
    boolean isReady = Await.tryUntil(() -> {
      if (ready.getAsBoolean()) {
        return true;
      }
      if (!process.isAlive()) {
        throw startFailure(what, "exited with code " + process.exitValue());
      }
      return false;
    }, timeout);
    if (!isReady) {
      kill();
      throw startFailure(what, "not ready after " + timeout.toSeconds() + " s");
    }
  }

  /** Sends SIGKILL and waits until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** Sends SIGTERM, and SIGKILL when the process is still there after {@code grace}. */
  public void stop(Duration grace) {
    process.destroy();
    if (!waitFor(grace)) {
      LOG.warn("{} (pid {}) ignored SIGTERM for {} ms, killing it", name, pid(), grace.toMillis());
      kill();
    }
  }

  /** The last {@code lines} lines of the log file, for error messages. */
  public String logTail(int lines) {
    return tail(logFile, lines);
  }

  /** Waits until the process exits by itself; false when it still runs after {@code timeout}. */
  public boolean waitFor(Duration timeout) {
    try {
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (exited) {
        LIVE.remove(process);
      }
      return exited;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private IllegalStateException startFailure(String what, String reason) {
    LIVE.remove(process);
    return new IllegalStateException(name + " " + reason + " while waiting for " + what + "; log " + logFile
        + ", last lines:\n" + logTail(TAIL_LINES));
  }

  static String tail(Path file, int lines) {
    if (!Files.exists(file)) {
      return "(no log file)";
    }
    // Reads only the end: a broker's log can be megabytes long.
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int window = (int) Math.min(length, 256L * lines);
      byte[] bytes = new byte[window];
      in.seek(length - window);
      in.readFully(bytes);
      List<String> all = List.of(new String(bytes, StandardCharsets.UTF_8).split("\n", -1));
      int from = Math.max(0, all.size() - lines - 1);
      return String.join("\n", all.subList(from, all.size())).strip();
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
