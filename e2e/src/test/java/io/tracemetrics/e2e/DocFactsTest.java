package io.tracemetrics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.red.MetricNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Facts in the Markdown docs that can drift from the code: the scripts they name exist and are executable,
 * their relative links and #anchors resolve, the output metric names they mention are ones the job writes,
 * and the packages the README's architecture table names exist in the modules it names. (The option tables have their own tests: JobOptionsReadmeTest, GatewayOptionsTest.) Ports are not
 * checked.
 *
 * <p>Every check takes a repository root, so the @TempDir cases below prove that each one can fail.
 */
class DocFactsTest {

  /**
   * What {@link MetricNames} writes for the default namespace, with either histogram name ({@code latency}, the
   * contract's, or {@code duration_milliseconds}, the Collector's). {@link #allowedNamesAreTheJobs} keeps this
   * list honest.
   */
  static final Set<String> JOB_METRIC_NAMES =
      Set.of(
          "llm_traces_span_metrics_calls_total",
          "llm_traces_span_metrics_latency_bucket",
          "llm_traces_span_metrics_latency_sum",
          "llm_traces_span_metrics_latency_count",
          "llm_traces_span_metrics_duration_milliseconds_bucket",
          "llm_traces_span_metrics_duration_milliseconds_sum",
          "llm_traces_span_metrics_duration_milliseconds_count");

  static final String METRIC_PREFIX = "llm_traces_span_metrics_";

  private static final Pattern SCRIPT =
      Pattern.compile("(?:^|[^A-Za-z0-9_./-]|\\.\\./|\\./)scripts/([A-Za-z0-9_][A-Za-z0-9_.-]*)");
  private static final Pattern LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern REFERENCE_LINK = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");
  private static final Pattern METRIC = Pattern.compile(Pattern.quote(METRIC_PREFIX) + "[A-Za-z0-9_:]*");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
  /** {@code `module`: `package`, `package`} (a table cell of the README's "where each step lives"). */
  private static final Pattern MODULE_PACKAGES =
      Pattern.compile("`([a-z][a-z-]*)`: ((?:`[a-z][a-z.]*`(?:, )?)+)");

  // ---- the real repository ----

  @Test
  void readsTheRepositorysDocs() {
    Path root = repositoryRoot();
    assertThat(markdownFiles(root).stream().map(p -> relative(root, p)))
        .contains("README.md", "flink-job/README.md", "otlp-gateway/README.md", "docs/getting-started.md")
        .noneMatch(p -> p.contains("target/"));
  }

  @Test
  void scriptsNamedInDocsExistAndAreExecutable() {
    assertThat(missingScripts(repositoryRoot())).as("scripts named in the docs").isEmpty();
  }

  @Test
  void relativeLinksAndAnchorsResolve() {
    assertThat(brokenLinks(repositoryRoot())).as("relative links in the docs").isEmpty();
  }

  @Test
  void metricNamesInDocsAreOnesTheJobWrites() {
    assertThat(unknownMetricNames(repositoryRoot()))
        .as("metric names in the docs; the job writes only %s", new java.util.TreeSet<>(JOB_METRIC_NAMES))
        .isEmpty();
  }

  @Test
  void modulesAndPackagesInTheReadmeExist() {
    assertThat(unknownPackages(repositoryRoot())).as("module: package pairs in README.md").isEmpty();
  }

  @Test
  void allowedNamesAreTheJobs() throws Exception {
    Set<String> fromJob = new LinkedHashSet<>();
    for (String histogram : List.of(MetricNames.LATENCY, MetricNames.DURATION_MILLISECONDS)) {
      MetricNames names = new MetricNames(MetricNames.DEFAULT_NAMESPACE, histogram);
      for (String field : List.of("calls", "bucket", "sum", "count")) {
        Field f = MetricNames.class.getDeclaredField(field);
        f.setAccessible(true);
        fromJob.add((String) f.get(names));
      }
    }
    assertThat(fromJob).containsExactlyInAnyOrderElementsOf(JOB_METRIC_NAMES);
    assertThat(fromJob).allMatch(name -> name.startsWith(METRIC_PREFIX));
  }

  // ---- each check can fail ----

  @Test
  void packageThatDoesNotExistIsReported(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("m/src/main/java/io/tracemetrics/a/b"));
    Files.writeString(root.resolve("README.md"),
        "| x | `m`: `a.b`, `a.c` |\n| y | `gone`: `a` |\n");

    assertThat(unknownPackages(root))
        .containsExactly("README.md:1: m: a.c does not exist", "README.md:2: gone: a does not exist");
  }

  @Test
  void missingOrNonExecutableScriptIsReported(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("scripts"));
    Path ok = Files.writeString(root.resolve("scripts/ok.sh"), "#!/bin/sh\n");
    makeExecutable(ok);
    Files.writeString(root.resolve("scripts/plain.sh"), "#!/bin/sh\n");
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(
        root.resolve("README.md"),
        "# T\n\nRun `scripts/ok.sh`, then scripts/ok.sh.\n\n```bash\n./scripts/gone.sh --x\n../scripts/plain.sh\n```\n");

    assertThat(missingScripts(root))
        .containsExactly(
            "README.md:6: scripts/gone.sh does not exist", "README.md:7: scripts/plain.sh is not executable");
  }

  @Test
  void brokenLinkAndAnchorAreReported(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("docs"));
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(
        root.resolve("sub/README.md"),
        "# Sub\n\n## Options (`Builder`)\n\n```bash\n# Not a heading\n```\n\n## Options (`Builder`)\n");
    Files.writeString(
        root.resolve("README.md"),
        String.join(
            "\n",
            "# Top",
            "",
            "[ok](sub/README.md) [ok](sub/README.md#options-builder) [ok](sub/README.md#options-builder-1)",
            "[ok](#top) [ok](https://example.com/x.md) [ok](sub)",
            "[bad](docs/missing.md)",
            "[bad anchor](sub/README.md#not-a-heading)",
            "[bad self](#nowhere)",
            "```",
            "[in code](nothing.md)",
            "```",
            ""));
    // a hidden directory and target/ are not read
    Files.createDirectories(root.resolve(".hidden"));
    Files.writeString(root.resolve(".hidden/x.md"), "[bad](nope.md)\n");
    Files.createDirectories(root.resolve("sub/target"));
    Files.writeString(root.resolve("sub/target/x.md"), "[bad](nope.md)\n");

    assertThat(brokenLinks(root))
        .containsExactly(
            "README.md:5: docs/missing.md does not exist",
            "README.md:6: sub/README.md has no heading for #not-a-heading",
            "README.md:7: README.md has no heading for #nowhere");
  }

  @Test
  void unknownMetricNameIsReported(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(
        root.resolve("docs/metrics.md"),
        "# M\n\n`llm_traces_span_metrics_calls_total` and llm_traces_span_metrics_latency_bucket{le=\"+Inf\"}\n"
            + "sum(rate(llm_traces_span_metrics_calls{x=\"y\"}[1m]))\n");

    assertThat(unknownMetricNames(root))
        .containsExactly("docs/metrics.md:4: llm_traces_span_metrics_calls is not a metric the job writes");
  }

  @Test
  void slugsFollowGitHub() {
    assertThat(slug("Options (`RemoteWriteSinkBuilder`)")).isEqualTo("options-remotewritesinkbuilder");
    assertThat(slug("Kafka: SASL and TLS")).isEqualTo("kafka-sasl-and-tls");
    assertThat(slug("Upgrades, with savepoints")).isEqualTo("upgrades-with-savepoints");
    assertThat(slug("snake_case and [a link](x.md)")).isEqualTo("snake_case-and-a-link");
  }

  // ---- the checks ----

  /** {@code `module`: `package`[, `package`]} in README.md: each package under that module's sources. */
  static List<String> unknownPackages(Path root) {
    List<String> problems = new ArrayList<>();
    Path readme = root.resolve("README.md");
    List<String> lines = read(readme);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MODULE_PACKAGES.matcher(lines.get(i));
      while (m.find()) {
        Matcher pkg = INLINE_CODE.matcher(m.group(2));
        while (pkg.find()) {
          String name = pkg.group().replace("`", "");
          Path dir = root.resolve(m.group(1)).resolve("src/main/java/io/tracemetrics").resolve(name.replace('.', '/'));
          if (!Files.isDirectory(dir)) {
            problems.add(where(root, readme, i) + m.group(1) + ": " + name + " does not exist");
          }
        }
      }
    }
    return problems;
  }

  static List<String> missingScripts(Path root) {
    List<String> problems = new ArrayList<>();
    for (Path doc : markdownFiles(root)) {
      List<String> lines = read(doc);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = SCRIPT.matcher(lines.get(i));
        while (m.find()) {
          String name = m.group(1).replaceAll("\\.+$", "");
          Path script = root.resolve("scripts").resolve(name);
          String where = where(root, doc, i) + "scripts/" + name;
          if (!Files.isRegularFile(script)) {
            problems.add(where + " does not exist");
          } else if (!Files.isExecutable(script)) {
            problems.add(where + " is not executable");
          }
        }
      }
    }
    return problems;
  }

  static List<String> brokenLinks(Path root) {
    List<String> problems = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    for (Path doc : markdownFiles(root)) {
      List<String> lines = read(doc);
      boolean inCode = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (FENCE.matcher(line).find()) {
          inCode = !inCode;
          continue;
        }
        if (inCode) {
          continue;
        }
        String text = INLINE_CODE.matcher(line).replaceAll("``");
        List<String> targets = new ArrayList<>();
        Matcher m = LINK.matcher(text);
        while (m.find()) {
          targets.add(m.group(1));
        }
        Matcher ref = REFERENCE_LINK.matcher(text);
        if (ref.find()) {
          targets.add(ref.group(1));
        }
        for (String target : targets) {
          if (target.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            continue; // http:, https:, mailto: ...
          }
          int hash = target.indexOf('#');
          String file = hash < 0 ? target : target.substring(0, hash);
          String anchor = hash < 0 ? null : target.substring(hash + 1);
          Path resolved =
              file.isEmpty()
                  ? doc
                  : file.startsWith("/")
                      ? root.resolve(decode(file.substring(1))).normalize()
                      : doc.getParent().resolve(decode(file)).normalize();
          String where = where(root, doc, i);
          if (!Files.exists(resolved)) {
            problems.add(where + (file.startsWith("/") ? file.substring(1) : file) + " does not exist");
            continue;
          }
          if (anchor != null
              && !anchor.isEmpty()
              && Files.isRegularFile(resolved)
              && resolved.getFileName().toString().endsWith(".md")) {
            Set<String> slugs = anchors.computeIfAbsent(resolved, DocFactsTest::headingSlugs);
            if (!slugs.contains(decode(anchor))) {
              problems.add(where + relative(root, resolved) + " has no heading for #" + anchor);
            }
          }
        }
      }
    }
    return problems;
  }

  static List<String> unknownMetricNames(Path root) {
    List<String> problems = new ArrayList<>();
    for (Path doc : markdownFiles(root)) {
      List<String> lines = read(doc);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = METRIC.matcher(lines.get(i));
        while (m.find()) {
          String name = m.group();
          if (name.equals(METRIC_PREFIX)) {
            continue; // the prefix itself, e.g. llm_traces_span_metrics_*
          }
          if (!JOB_METRIC_NAMES.contains(name)) {
            problems.add(where(root, doc, i) + name + " is not a metric the job writes");
          }
        }
      }
    }
    return problems;
  }

  // ---- helpers ----

  /** The repository root: a module's tests run in the module's directory. */
  static Path repositoryRoot() {
    Path root = Paths.get("").toAbsolutePath().getParent();
    assertThat(root).as("the parent of the working directory").isNotNull();
    assertThat(root.resolve("README.md")).as("the repository root's README").isRegularFile();
    return root;
  }

  /** Every .md file: README.md, the modules' READMEs, docs/; not under target/ or hidden directories. */
  static List<Path> markdownFiles(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.getFileName() != null && p.getFileName().toString().endsWith(".md"))
          .filter(Files::isRegularFile)
          .filter(
              p -> {
                Path rel = root.relativize(p);
                for (int i = 0; i < rel.getNameCount() - 1; i++) {
                  String part = rel.getName(i).toString();
                  if (part.startsWith(".") || part.equals("target") || part.equals("node_modules")) {
                    return false;
                  }
                }
                return true;
              })
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The GitHub anchors of a Markdown file's headings, outside code blocks; a repeated heading gets -1, -2. */
  static Set<String> headingSlugs(Path doc) {
    Set<String> slugs = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean inCode = false;
    for (String line : read(doc)) {
      if (FENCE.matcher(line).find()) {
        inCode = !inCode;
        continue;
      }
      if (inCode) {
        continue;
      }
      Matcher m = HEADING.matcher(line);
      if (m.matches()) {
        String base = slug(m.group(2));
        int n = seen.merge(base, 1, Integer::sum) - 1;
        slugs.add(n == 0 ? base : base + "-" + n);
      }
    }
    return slugs;
  }

  /** GitHub's slug: link text kept, lower case, punctuation but - and _ dropped, spaces to hyphens. */
  static String slug(String heading) {
    String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (c == ' ') {
                out.append('-');
              } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  private static String where(Path root, Path doc, int index) {
    return relative(root, doc) + ":" + (index + 1) + ": ";
  }

  private static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static List<String> read(Path doc) {
    try {
      return Files.readAllLines(doc, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void makeExecutable(Path p) throws IOException {
    Set<PosixFilePermission> perms = new java.util.HashSet<>(Files.getPosixFilePermissions(p));
    perms.add(PosixFilePermission.OWNER_EXECUTE);
    Files.setPosixFilePermissions(p, perms);
  }
}
