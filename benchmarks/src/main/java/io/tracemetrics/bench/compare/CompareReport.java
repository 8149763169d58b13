package io.tracemetrics.bench.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.tracemetrics.bench.compare.ProcessMeter.Usage;
import io.tracemetrics.bench.compare.Results.Disturbed;
import io.tracemetrics.bench.compare.Results.Level;
import io.tracemetrics.bench.compare.Results.Step;
import io.tracemetrics.bench.compare.Results.Sustained;
import io.tracemetrics.bench.compare.load.StepOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The comparison's report: one Markdown table per series level (a row per measure, a column per stack, and
 * the ratio of this pipeline to the seed's stack), then each stack's ramp and phases; and the same figures
 * as JSON next to it ({@code .json} for {@code .md}).
 */
final class CompareReport {
  private final CompareOptions options;
  private final String command;
  private final List<Level> levels = new ArrayList<>();
  private KafkaCeiling.Result ceiling;

  CompareReport(CompareOptions options, String command) {
    this.options = options;
    this.command = command;
  }

  void ceiling(KafkaCeiling.Result ceiling) {
    this.ceiling = ceiling;
  }

  void add(Level level) {
    levels.add(level);
  }

  /** Writes the Markdown and the JSON report; returns the Markdown. */
  String write() throws IOException {
    String text = render();
    Path file = Path.of(options.reportFile());
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, text);
    Path json = Path.of(options.reportFile().replaceFirst("\\.md$", "") + ".json");
    SimpleModule durations = new SimpleModule().addSerializer(Duration.class, ToStringSerializer.instance);
    new ObjectMapper().registerModule(durations).enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(json.toFile(), json());
    return text;
  }

  String render() {
    StringBuilder out = new StringBuilder();
    out.append("# Side by side: the seed's stack and this pipeline (").append(LocalDate.now()).append(")\n\n");
    out.append("`").append(command).append("` on ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores; every stack alone on the machine with the load generator (open loop, ")
        .append(options.spansPerRequest()).append(" spans per request, ")
        .append(Math.round(options.httpShare() * 100)).append(" % OTLP/HTTP protobuf, the rest OTLP/gRPC).\n\n");
    if (ceiling != null) {
      out.append(String.format(Locale.ROOT, "Kafka ceiling (produce + consume of the same requests, no gateway, no job): "
          + "%,.0f spans/s (broker %.2f cores, clients %.2f cores).%n%n", ceiling.spansPerSecond(),
          ceiling.brokerCores(), ceiling.clientCores()));
    }
    for (long series : levels.stream().map(Level::series).distinct().toList()) {
      List<Level> row = levels.stream().filter(l -> l.series() == series).toList();
      out.append("## ").append(String.format(Locale.ROOT, "%,d", series)).append(" series\n\n");
      table(out, row);
    }
    out.append("## Stacks\n\n");
    for (StackKind kind : options.stacks()) {
      levels.stream().filter(l -> l.kind() == kind).findFirst()
          .ifPresent(l -> out.append("- **").append(kind.title()).append("**: ").append(l.settings()).append('\n'));
    }
    out.append('\n');
    for (Level level : levels) {
      details(out, level);
    }
    return out.toString();
  }

  private void table(StringBuilder out, List<Level> row) {
    out.append("| measure |");
    row.forEach(l -> out.append(' ').append(l.kind().title()).append(" |"));
    Level seed = find(row, StackKind.SEED);
    Level pipeline = find(row, StackKind.PIPELINE);
    boolean ratio = hasRatioColumn(row);
    out.append(ratio ? " B ÷ A |\n" : "\n").append("|---|");
    row.forEach(l -> out.append("---|"));
    out.append(ratio ? "---|\n" : "\n");
    line(out, row, "sustained spans/s, zero loss", l -> l.sustained() == null ? "–"
        : fmt(l.sustained().rate()) + (l.sustained().zeroLoss() ? "" : " (not exact)"),
        ratio ? ratio(pipeline.sustained().rate(), seed.sustained().rate()) : null);
    line(out, row, "spans/s per stack core", l -> l.sustained() == null ? "–" : fmt(l.sustained().spansPerCore()),
        ratio ? ratio(pipeline.sustained().spansPerCore(), seed.sustained().spansPerCore()) : null);
    line(out, row, "stack cores at that rate", l -> l.sustained() == null ? "–"
        : String.format(Locale.ROOT, "%.2f", l.sustained().stackCores()), null);
    line(out, row, "CPU-s per million spans, by process (of which JIT compiler)", l -> l.sustained() == null ? "–"
        : perProcess(l.sustained().usage(), u -> perMillion(u, l.sustained().hold().acceptedSpans())), null);
    line(out, row, "peak RSS MiB, by process", l -> l.sustained() == null ? "–"
        : perProcess(l.sustained().usage(), u -> Long.toString(u.peakRssBytes() >> 20)), null);
    line(out, row, "RSS gained per series", l -> Double.isNaN(l.rssBytesPerSeries()) ? "–"
        : String.format(Locale.ROOT, "%,.0f B", l.rssBytesPerSeries()), null);
    line(out, row, "store after the hold", l -> l.sustained() == null ? "–" : l.sustained().reading().summary(), null);
    if (row.stream().anyMatch(l -> l.freshness() != null)) {
      line(out, row, "freshness p50 / p99 (span end → queryable)", l -> l.freshness() == null ? "–"
          : String.format(Locale.ROOT, "%.1f s / %.1f s (%d probes%s)", l.freshness().percentile(0.5) / 1000,
              l.freshness().percentile(0.99) / 1000, l.freshness().latenciesMillis().size(),
              l.freshness().probesNeverSeen() > 0 ? ", " + l.freshness().probesNeverSeen() + " never seen" : ""),
          null);
    }
    if (row.stream().anyMatch(l -> l.restart() != null)) {
      line(out, row, "restarts (graceful + SIGKILL): lost, resets, store", l -> disturbed(l.restart()), null);
      line(out, row, "restarts: refused (client told)", l -> l.restart() == null ? "–" : refusals(l.restart().outcome()),
          null);
    }
    if (row.stream().anyMatch(l -> l.overload() != null)) {
      line(out, row, "overload (2× sustained): lost silently, store", l -> disturbed(l.overload()), null);
      line(out, row, "overload: accepted / refused (client told)", l -> l.overload() == null ? "–"
          : fmt(l.overload().outcome().acceptedSpans()) + " / " + refusals(l.overload().outcome()), null);
      line(out, row, "overload: RSS MiB at the end, by process", l -> l.overload() == null ? "–"
          : perProcess(l.overload().usage(), u -> Long.toString(u.rssBytes() >> 20)), null);
    }
    if (ceiling != null && pipeline != null && pipeline.sustained() != null) {
      out.append(String.format(Locale.ROOT, "%nThe pipeline (B) sustained %.0f %% of the Kafka ceiling.%n",
          100 * pipeline.sustained().rate() / ceiling.spansPerSecond()));
    }
    row.stream().filter(l -> l.failure() != null)
        .forEach(l -> out.append("\n").append(l.kind().title()).append(" did not finish: ").append(l.failure()).append('\n'));
    out.append('\n');
  }

  private static void line(StringBuilder out, List<Level> row, String measure, Function<Level, String> cell,
      String ratio) {
    out.append("| ").append(measure).append(" |");
    row.forEach(l -> out.append(' ').append(cell.apply(l)).append(" |"));
    if (ratio != null) {
      out.append(' ').append(ratio).append(" |");
    } else if (hasRatioColumn(row)) {
      out.append(" |");
    }
    out.append('\n');
  }

  private static Level find(List<Level> row, StackKind kind) {
    return row.stream().filter(l -> l.kind() == kind).findFirst().orElse(null);
  }

  /** A last column "B ÷ A" when both the seed's stack and the pipeline have a sustained rate. */
  private static boolean hasRatioColumn(List<Level> row) {
    Level seed = find(row, StackKind.SEED);
    Level pipeline = find(row, StackKind.PIPELINE);
    return seed != null && pipeline != null && seed.sustained() != null && pipeline.sustained() != null;
  }

  private static String disturbed(Disturbed d) {
    if (d == null) {
      return "–";
    }
    return fmt(d.lost()) + " lost of " + fmt(d.outcome().acceptedSpans()) + ", resets " + d.after().resets() + "; "
        + d.after().summary();
  }

  private static String refusals(StepOutcome outcome) {
    StringBuilder text = new StringBuilder(fmt(outcome.refusedSpans()));
    Map<String, Long> other = new LinkedHashMap<>(outcome.spansByOutcome());
    other.keySet().removeIf(k -> k.equals("http 200") || k.equals("grpc OK"));
    if (!other.isEmpty()) {
      text.append(' ').append(other);
    }
    if (outcome.unknownSpans() > 0) {
      text.append(", ").append(fmt(outcome.unknownSpans())).append(" unknown");
    }
    return text.toString();
  }

  private static String perMillion(Usage usage, long spans) {
    String cpu = String.format(Locale.ROOT, "%.2f", usage.cpuSeconds() / (spans / 1e6));
    return usage.jitCpuSeconds() > 0
        ? cpu + String.format(Locale.ROOT, " (%.2f)", usage.jitCpuSeconds() / (spans / 1e6)) : cpu;
  }

  private static String perProcess(Map<String, Usage> usage, Function<Usage, String> value) {
    List<String> parts = new ArrayList<>();
    usage.forEach((name, u) -> parts.add(name + " " + value.apply(u)));
    return String.join(", ", parts);
  }

  private void details(StringBuilder out, Level level) {
    out.append("### ").append(level.kind().title()).append(", ").append(String.format(Locale.ROOT, "%,d", level.series()))
        .append(" series\n\n");
    if (level.sustained() != null) {
      for (Step step : level.sustained().ramp()) {
        out.append("- ramp ").append(outcome(step.outcome())).append(step.keptUp() ? "" : " — not kept up").append('\n');
      }
      Sustained s = level.sustained();
      out.append("- hold ").append(outcome(s.hold())).append(String.format(Locale.ROOT,
          "; settled %.0f s after; zero loss: %s%n", s.settleSeconds(), s.zeroLoss()));
    }
    if (level.overload() != null) {
      out.append("- overload ").append(outcome(level.overload().outcome())).append(String.format(Locale.ROOT,
          "; settled %.0f s after%n", level.overload().settleSeconds()));
    }
    if (level.restart() != null) {
      out.append("- restarts ").append(outcome(level.restart().outcome())).append("; ").append(level.restart().notes())
          .append(String.format(Locale.ROOT, "; settled %.0f s after%n", level.restart().settleSeconds()));
    }
    if (level.failure() != null) {
      out.append("- failed: ").append(level.failure()).append('\n');
    }
    out.append('\n');
  }

  private static String outcome(StepOutcome o) {
    return String.format(Locale.ROOT, "%,.0f spans/s offered for %d s: %,d accepted (%,.0f/s), refused %s, p50 %.0f ms, p99 %.0f ms",
        o.offeredSpansPerSecond(), o.duration().toSeconds(), o.acceptedSpans(), o.acceptedSpansPerSecond(),
        refusals(o), o.p50Millis(), o.p99Millis());
  }

  private static String ratio(double b, double a) {
    return a > 0 ? String.format(Locale.ROOT, "%.1f×", b / a) : "–";
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  private Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("date", LocalDate.now().toString());
    root.put("command", command);
    root.put("cores", Runtime.getRuntime().availableProcessors());
    root.put("options", options.toString());
    if (ceiling != null) {
      root.put("kafkaCeiling", ceiling);
    }
    root.put("levels", levels);
    return root;
  }
}
