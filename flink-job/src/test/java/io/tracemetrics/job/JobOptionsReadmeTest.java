package io.tracemetrics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;

/** The README's options table is the options class, row for row: a new option cannot go undocumented. */
class JobOptionsReadmeTest {
  static String row(ConfigOption<?> option) {
    return "| `--" + option.key() + "` | `" + JobOptions.envVar(option) + "` | " + format(option.defaultValue())
        + " | " + JobOptions.description(option) + " |";
  }

  static String format(Object value) {
    if (value instanceof Duration duration) {
      return "`" + TimeUtils.formatWithHighestUnit(duration) + "`";
    }
    if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        return "(none)";
      }
      return "`" + list.stream().map(d -> String.valueOf(d).replaceAll("\\.0$", "")).collect(Collectors.joining(";"))
          + "`";
    }
    String text = String.valueOf(value);
    return text.isEmpty() ? "(none)" : "`" + text + "`";
  }

  @Test
  void readmeListsEveryOptionWithItsDefault() throws IOException {
    List<String> readme = Files.readAllLines(Path.of("README.md"));
    List<String> rows = readme.stream().filter(line -> line.startsWith("| `--")).toList();
    List<String> expected = JobOptions.ALL.stream().map(JobOptionsReadmeTest::row).toList();
    assertThat(rows).as("flink-job/README.md options table; expected rows:%n%s", String.join("\n", expected))
        .containsExactlyElementsOf(expected);
  }
}
