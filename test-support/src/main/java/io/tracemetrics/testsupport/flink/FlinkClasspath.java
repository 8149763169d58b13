package io.tracemetrics.testsupport.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;

/**
 * The class path of the cluster's JVMs: what a Flink distribution's {@code lib/} would hold, written by the
 * build ({@code maven-dependency-plugin}, execution {@code flink-classpath}) to
 * {@code test-support/target/flink-classpath.txt}. Not this JVM's class path: that one holds the job's classes,
 * which on a real cluster come only from the submitted jar.
 */
final class FlinkClasspath {

  static final String FILE_NAME = "flink-classpath.txt";

  private FlinkClasspath() {}

  /**
   * {@code flink-classpath.txt} in the build directory this class was loaded from: next to
   * {@code target/classes}, or next to the module's jar in {@code target/}.
   */
  static Path defaultFile() {
    CodeSource source = FlinkClasspath.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      throw new IllegalStateException("cannot tell where test-support's classes come from; set"
          + " FlinkCluster.Builder.classpathFile explicitly");
    }
    try {
      return Path.of(source.getLocation().toURI()).toAbsolutePath().getParent().resolve(FILE_NAME);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("odd code source location " + source.getLocation(), e);
    }
  }

  /** The class path in {@code file}, checked: the file exists, is not empty, and every entry exists. */
  static String read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no Flink class path file at " + file
          + ": run 'mvn -pl test-support package' first (execution flink-classpath of maven-dependency-plugin)");
    }
    String classpath;
    try {
      classpath = Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<String> missing = entries(classpath).stream().filter(entry -> !Files.exists(Path.of(entry))).toList();
    if (classpath.isEmpty() || !missing.isEmpty()) {
      throw new IllegalStateException("the Flink class path in " + file + " is empty or stale (missing: "
          + missing + "): run 'mvn -pl test-support package' again");
    }
    return classpath;
  }

  static List<String> entries(String classpath) {
    return classpath.isEmpty() ? List.of() : List.of(classpath.split(java.io.File.pathSeparator));
  }
}
