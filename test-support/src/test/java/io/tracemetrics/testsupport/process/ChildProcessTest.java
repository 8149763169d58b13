package io.tracemetrics.testsupport.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

  @TempDir
  Path dir;

  @Test
  void processThatExitsBeforeReadyFailsWithItsLastLogLines() {
    ChildProcess child = ChildProcess.start("failing", List.of("sh", "-c", "echo first; echo boom >&2; exit 3"),
        dir.resolve("out.log"));

    assertThatThrownBy(() -> child.awaitReady(() -> false, Duration.ofSeconds(10), "readiness"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("first")
        .hasMessageContaining("boom");
  }

  @Test
  void processNotReadyInTimeIsKilledAndReported() {
    ChildProcess child = ChildProcess.start("sleeper", List.of("sleep", "60"), dir.resolve("out.log"));

    assertThatThrownBy(() -> child.awaitReady(() -> false, Duration.ofMillis(300), "readiness"))
        .hasMessageContaining("not ready after");
    assertThat(child.isAlive()).isFalse();
  }

  @Test
  void readyConditionEndsTheWait() {
    ChildProcess child = ChildProcess.start("sleeper", List.of("sleep", "60"), dir.resolve("out.log"));
    try {
      child.awaitReady(() -> true, Duration.ofSeconds(5), "readiness");
      assertThat(child.isAlive()).isTrue();
    } finally {
      child.kill();
    }
    assertThat(child.isAlive()).isFalse();
  }

  @Test
  void stopKillsAProcessThatIgnoresSigterm() {
    ChildProcess child = ChildProcess.start("stubborn",
        List.of("sh", "-c", "trap '' TERM; echo trapped; while true; do sleep 0.1; done"), dir.resolve("out.log"));
    child.awaitReady(() -> child.logTail(1).contains("trapped"), Duration.ofSeconds(5), "the trap");

    child.stop(Duration.ofMillis(300));

    assertThat(child.isAlive()).isFalse();
  }

  @Test
  void restartAppendsToTheSameLog() throws Exception {
    Path log = dir.resolve("out.log");

    assertThat(ChildProcess.start("run 1", List.of("echo", "run-1"), log).waitFor(Duration.ofSeconds(10))).isTrue();
    assertThat(ChildProcess.start("run 2", List.of("echo", "run-2"), log).waitFor(Duration.ofSeconds(10))).isTrue();

    assertThat(Files.readAllLines(log)).containsExactly("run-1", "run-2");
  }

  @Test
  void tailReturnsOnlyTheLastLines() throws Exception {
    Path log = Files.writeString(dir.resolve("long.log"), "a\nb\nc\nd\n");

    assertThat(ChildProcess.tail(log, 2)).isEqualTo("c\nd");
    assertThat(ChildProcess.tail(dir.resolve("missing.log"), 2)).isEqualTo("(no log file)");
  }
}
