package io.tracemetrics.testsupport.store;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;

/** Finds a store's executable: the path in an environment variable first, then the directories of PATH. */
final class Binaries {

  private Binaries() {}

  /**
   * Returns the executable named {@code name}, or throws with the command that installs it.
   *
   * @param env the environment to read {@code envVar} and {@code PATH} from ({@link System#getenv()} in use)
   */
  static Path find(String name, String envVar, String aptPackage, Map<String, String> env) {
    String explicit = env.get(envVar);
    if (explicit != null && !explicit.isBlank()) {
      Path path = Paths.get(explicit);
      if (!Files.isExecutable(path)) {
        throw new IllegalStateException(envVar + "=" + explicit + " is not an executable file");
      }
      return path;
    }
    return onPath(name, env.getOrDefault("PATH", ""))
        .orElseThrow(() -> new IllegalStateException(name + " is not on PATH and " + envVar + " is not set:"
            + " install it with 'apt-get install " + aptPackage + "' (or run scripts/ensure-binaries.sh),"
            + " or set " + envVar + " to the executable"));
  }

  private static Optional<Path> onPath(String name, String pathVariable) {
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Paths.get(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
