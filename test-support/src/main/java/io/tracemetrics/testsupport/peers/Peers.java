package io.tracemetrics.testsupport.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the peers built by {@code scripts/ensure-peers.sh} are: a system property, else an environment
 * variable, else the cache the script fills ({@code $TRACE_METRICS_PEERS}, default
 * {@code ~/.cache/trace-metrics/peers}). A missing peer is an error naming the command that installs it:
 * the test command installs every peer, so a missing one is a broken set-up, never a reason to skip.
 */
public enum Peers {
  OTELCOL("peers.otelcol", "OTELCOL_BIN", "otelcol-0.165.1/otelcol-tracemetrics", "otelcol"),
  TELEMETRYGEN("peers.telemetrygen", "TELEMETRYGEN_BIN", "telemetrygen-0.161.0/telemetrygen", "telemetrygen"),
  PYTHON("peers.python", "OTEL_PYTHON_BIN", "python-otel-1.45.2/bin/python", "python"),
  JAEGER("peers.jaeger", "JAEGER_BIN", "jaeger-1.75.0/jaeger", "jaeger");

  private final String property;
  private final String envVar;
  private final String cachePath;
  private final String scriptArgument;

  Peers(String property, String envVar, String cachePath, String scriptArgument) {
    this.property = property;
    this.envVar = envVar;
    this.cachePath = cachePath;
    this.scriptArgument = scriptArgument;
  }

  /**
   * The peer's executable.
   *
   * @throws IllegalStateException with the install command when it is not there
   */
  public Path path() {
    Path path = Optional.ofNullable(System.getProperty(property))
        .or(() -> Optional.ofNullable(System.getenv(envVar)))
        .map(Path::of)
        .orElseGet(() -> cacheDir().resolve(cachePath));
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(String.format("The peer '%s' is missing at %s. Install it with: "
          + "scripts/ensure-peers.sh %s (scripts/test.sh runs it; or point -D%s / $%s at it)", scriptArgument, path,
          scriptArgument, property, envVar));
    }
    return path;
  }

  private static Path cacheDir() {
    return Optional.ofNullable(System.getenv("TRACE_METRICS_PEERS")).filter(s -> !s.isBlank()).map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache", "trace-metrics", "peers"));
  }
}
