package io.tracemetrics.testsupport.flink;

import io.tracemetrics.testsupport.process.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobID;

/** {@code flink run -d}: one client JVM per submission, its output in its own log file. */
final class FlinkCli {

  private static final int LOG_TAIL_LINES = 60;

  private FlinkCli() {}

  /** Runs the client until it exits and returns the job id it printed; fails with its log otherwise. */
  static JobID runDetached(
      String classpath, ClusterLayout layout, Path log, Path jar, List<String> args, Duration timeout) {
    ChildProcess cli = ChildProcess.start("flink run " + jar.getFileName(),
        FlinkJvm.cli(classpath, layout, log, jar, args), log);
    if (!cli.waitFor(timeout)) {
      cli.kill();
      throw new IllegalStateException("flink run did not return within " + timeout.toSeconds() + " s; log "
          + log + ", last lines:\n" + cli.logTail(LOG_TAIL_LINES));
    }
    // The client's exit code is not needed: a detached submission that worked prints the id, one that
    // failed prints "The program finished with the following exception" instead.
    return RestJson.submittedJobId(read(log)).orElseThrow(() -> new IllegalStateException(
        "flink run printed no job id; log " + log + ", last lines:\n" + cli.logTail(LOG_TAIL_LINES)));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
