package io.tracemetrics.bench.compare.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewestRetainedCheckpointTest {

  @Test
  void theNewestCompletedCheckpointOfAnyJobWins(@TempDir Path dir) throws IOException {
    completed(dir.resolve("job-a/chk-9"), 1_000);
    Path newest = completed(dir.resolve("job-b/chk-3"), 2_000);
    Files.createDirectories(dir.resolve("job-b/chk-4")); // in progress when the process died: no _metadata
    Files.createDirectories(dir.resolve("job-b/shared"));
    Files.createDirectories(dir.resolve("job-b/taskowned"));

    assertThat(JobProcess.newestRetainedCheckpoint(dir)).contains(newest);
  }

  @Test
  void theHigherNumberBreaksATie(@TempDir Path dir) throws IOException {
    completed(dir.resolve("job/chk-2"), 1_000);
    Path higher = completed(dir.resolve("job/chk-10"), 1_000);

    assertThat(JobProcess.newestRetainedCheckpoint(dir)).contains(higher);
  }

  @Test
  void noCompletedCheckpointIsEmpty(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("job/chk-1"));

    assertThat(JobProcess.newestRetainedCheckpoint(dir)).isEmpty();
    assertThat(JobProcess.newestRetainedCheckpoint(dir.resolve("missing"))).isEmpty();
  }

  private static Path completed(Path checkpoint, long modifiedMillis) throws IOException {
    Files.createDirectories(checkpoint);
    Files.setLastModifiedTime(Files.writeString(checkpoint.resolve("_metadata"), "m"),
        FileTime.fromMillis(modifiedMillis));
    return checkpoint;
  }
}
