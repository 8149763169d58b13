package io.tracemetrics.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.annotation.Nullable;

/**
 * The definition of one gateway setting: its name, from which its flag ({@code --name value} or
 * {@code --name=value}) and environment variable ({@code GATEWAY_NAME}) follow, its default (or none), its
 * description (the README's options table), whether its value is a secret (masked in the log), how its
 * text is read, and which values it accepts. The settings themselves are the constants of
 * {@link GatewaySettings}.
 */
final class GatewaySetting<T> {
  static final String ENV_PREFIX = "GATEWAY_";

  private final String name;
  @Nullable private final T defaultValue;
  private final String description;
  private final boolean secret;
  private final Function<String, T> parser;
  private final Function<T, String> formatter;
  /** Why a value is refused (completing "name ..."), or null when it is accepted. */
  private final Function<T, String> problem;
  /** What an accepted value means to the gateway: the value itself, or null for none, or e.g. a core count. */
  private final UnaryOperator<T> meaning;

  private GatewaySetting(String name, @Nullable T defaultValue, String description, boolean secret,
      Function<String, T> parser, Function<T, String> formatter, Function<T, String> problem,
      UnaryOperator<T> meaning) {
    this.name = name;
    this.defaultValue = defaultValue;
    this.description = description;
    this.secret = secret;
    this.parser = parser;
    this.formatter = formatter;
    this.problem = problem;
    this.meaning = meaning;
  }

  /** Text; without a default, a blank value means none. */
  static GatewaySetting<String> text(String name, @Nullable String defaultValue, String description) {
    return new GatewaySetting<>(name, defaultValue, description, false, text -> text, text -> text,
        value -> null, value -> defaultValue == null && value.isBlank() ? null : value);
  }

  /** Text never logged; a blank value means none. */
  static GatewaySetting<String> secretText(String name, String description) {
    GatewaySetting<String> text = text(name, null, description);
    return new GatewaySetting<>(name, null, description, true, text.parser, text.formatter, text.problem,
        text.meaning);
  }

  /** A whole number from {@code min} to {@code max}. */
  static GatewaySetting<Integer> integer(String name, int defaultValue, int min, int max, String description) {
    return new GatewaySetting<>(name, defaultValue, description, false, Integer::valueOf, String::valueOf,
        value -> range(value, min, max), value -> value);
  }

  /** A whole number of at least {@code min}. */
  static GatewaySetting<Long> longInteger(String name, long defaultValue, long min, String description) {
    return new GatewaySetting<>(name, defaultValue, description, false, Long::valueOf, String::valueOf,
        value -> range(value, min, Long.MAX_VALUE), value -> value);
  }

  /** A duration written in milliseconds, of at least {@code minMillis}. */
  static GatewaySetting<Duration> millis(String name, long defaultMillis, long minMillis, String description) {
    return new GatewaySetting<>(name, Duration.ofMillis(defaultMillis), description, false,
        text -> Duration.ofMillis(Long.parseLong(text)), value -> String.valueOf(value.toMillis()),
        value -> value.toMillis() < minMillis ? "must be at least " + minMillis + " ms" : null, value -> value);
  }

  /** A file; no default. */
  static GatewaySetting<Path> path(String name, String description) {
    return new GatewaySetting<>(name, null, description, false, Path::of, Path::toString, value -> null,
        value -> value);
  }

  /** A comma-separated list; by default empty. */
  static GatewaySetting<List<String>> list(String name, String description) {
    return new GatewaySetting<>(name, List.of(), description, false,
        text -> Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
        value -> String.join(",", value), value -> null, List::copyOf);
  }

  /** This setting, with accepted values given another meaning (e.g. 0 for one per core). */
  GatewaySetting<T> meaning(UnaryOperator<T> newMeaning) {
    return new GatewaySetting<>(name, defaultValue, description, secret, parser, formatter, problem, newMeaning);
  }

  private static String range(long value, long min, long max) {
    if (value < min || value > max) {
      return max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "must be at least " + min
          : "must be from " + min + " to " + max;
    }
    return null;
  }

  String name() {
    return name;
  }

  String flag() {
    return "--" + name;
  }

  String envVar() {
    return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  String description() {
    return description;
  }

  boolean secret() {
    return secret;
  }

  /** The default as its flag would be written; empty for none (or an empty list). */
  String defaultText() {
    return defaultValue == null ? "" : formatter.apply(defaultValue);
  }

  /** A value from its text (a flag's or a variable's); NumberFormatException if a number is not one. */
  T parse(String text) {
    return parser.apply(text);
  }

  /**
   * The value the gateway works with for {@code given} (null: not set, so the default): checked, then given
   * its meaning; null for none.
   *
   * @throws IllegalStateException naming the setting when the value is not accepted
   */
  @Nullable T resolve(@Nullable T given) {
    T value = given == null ? defaultValue : given;
    if (value == null) {
      return null;
    }
    String refused = problem.apply(value);
    if (refused != null) {
      throw new IllegalStateException(name + " " + refused + ": " + formatter.apply(value));
    }
    return meaning.apply(value);
  }

  @Override
  public String toString() {
    return name;
  }
}
