package io.tracemetrics.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The options of a benchmark harness: {@code --name=value} over a map of defaults, read by name. */
public final class BenchArgs {
  private final Map<String, String> values;

  private BenchArgs(Map<String, String> values) {
    this.values = values;
  }

  /** @throws IllegalArgumentException for anything but {@code --name=value} with a known name */
  public static BenchArgs parse(Map<String, String> defaults, String... args) {
    Map<String, String> values = new LinkedHashMap<>(defaults);
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      String name = arg.substring(2, arg.indexOf('='));
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "; options: " + defaults.keySet());
      }
      values.put(name, arg.substring(arg.indexOf('=') + 1));
    }
    return new BenchArgs(values);
  }

  /** {@code <harness> [--name=value ...]; options and defaults:} and one line per option. */
  public static String usage(String harness, Map<String, String> defaults) {
    StringBuilder usage = new StringBuilder(harness + " [--name=value ...]; options and defaults:\n");
    defaults.forEach((name, value) -> usage.append("  --").append(name).append('=').append(value).append('\n'));
    return usage.toString();
  }

  public String text(String name) {
    return values.get(name);
  }

  public int integer(String name) {
    return Integer.parseInt(values.get(name));
  }

  /** @throws IllegalArgumentException when the value is not above 0 */
  public int positive(String name) {
    int value = integer(name);
    if (value <= 0) {
      throw new IllegalArgumentException("--" + name + " must be positive: " + value);
    }
    return value;
  }
}
