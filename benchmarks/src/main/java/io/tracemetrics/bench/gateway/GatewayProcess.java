package io.tracemetrics.bench.gateway;

import io.tracemetrics.testsupport.FreePorts;
import io.tracemetrics.testsupport.process.ChildProcess;
import io.tracemetrics.testsupport.process.WorkDir;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway in a child JVM ({@code GatewayMain} from this JVM's class path, as the shaded jar would run),
 * so its CPU time can be read from {@code /proc} apart from the load generator's.
 */
public final class GatewayProcess implements AutoCloseable {
  private final WorkDir workDir;
  private final ChildProcess process;
  private final int httpPort;
  private final int grpcPort;

  private GatewayProcess(WorkDir workDir, ChildProcess process, int httpPort, int grpcPort) {
    this.workDir = workDir;
    this.process = process;
    this.httpPort = httpPort;
    this.grpcPort = grpcPort;
  }

  /** The gateway with its default thread counts. */
  public static GatewayProcess start(String bootstrapServers, int heapMb) {
    return start(bootstrapServers, heapMb, 0);
  }

  /** {@code threads} HTTP and gRPC worker threads each, or the gateway's defaults when 0. */
  static GatewayProcess start(String bootstrapServers, int heapMb, int threads) {
    int http = FreePorts.pick();
    int grpc = FreePorts.pick();
    int health = FreePorts.pick();
    int metrics = FreePorts.pick();
    WorkDir workDir = WorkDir.create("gateway-bench");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms" + heapMb + "m", "-Xmx" + heapMb + "m"));
    // Extra JVM flags for the gateway, e.g. a flight recording: GATEWAY_JAVA_OPTS=-XX:StartFlightRecording=...
    String extra = System.getenv().getOrDefault("GATEWAY_JAVA_OPTS", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of(
        "-cp", System.getProperty("java.class.path"),
        "io.tracemetrics.gateway.GatewayMain",
        "--kafka-bootstrap-servers=" + bootstrapServers,
        "--bind-address=127.0.0.1",
        "--http-port=" + http, "--grpc-port=" + grpc, "--health-port=" + health, "--metrics-port=" + metrics));
    if (threads > 0) {
      command.addAll(List.of("--http-threads=" + threads, "--grpc-threads=" + threads));
    }
    ChildProcess process = ChildProcess.start("otlp-gateway", command, workDir.resolve("gateway.log"));
    process.awaitReady(() -> healthy(health), Duration.ofSeconds(60), "the gateway's health to answer 200");
    return new GatewayProcess(workDir, process, http, grpc);
  }

  public long pid() {
    return process.pid();
  }

  public int httpPort() {
    return httpPort;
  }

  public int grpcPort() {
    return grpcPort;
  }

  private static boolean healthy(int port) {
    try {
      HttpResponse<Void> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/status"))
              .timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.discarding());
      return answer.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM (the gateway drains and closes its producer), then deletes the directory. */
  @Override
  public void close() {
    try {
      process.stop(Duration.ofSeconds(30));
    } finally {
      workDir.close();
    }
  }
}
