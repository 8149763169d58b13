package io.tracemetrics.e2e.ecosystem;

import io.tracemetrics.testsupport.FreePorts;
import io.tracemetrics.testsupport.peers.Peers;
import io.tracemetrics.testsupport.process.ChildProcess;
import io.tracemetrics.testsupport.process.WorkDir;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Jaeger ({@link Peers#JAEGER}, the v2 {@code jaeger} binary) with in-memory trace storage and its
 * metrics reader (the Monitor tab's backend) pointed at a Prometheus-compatible store: the configuration
 * docs/jaeger-monitor.md documents, with free loopback ports.
 */
public final class Jaeger implements AutoCloseable {
  private final WorkDir dir;
  private final ChildProcess process;
  private final int httpPort;

  private Jaeger(WorkDir dir, ChildProcess process, int httpPort) {
    this.dir = dir;
    this.process = process;
    this.httpPort = httpPort;
  }

  /** Starts Jaeger reading the Collector-named metrics from {@code storeUrl} and waits for its query API. */
  public static Jaeger start(String storeUrl) {
    int httpPort = FreePorts.pick();
    WorkDir dir = WorkDir.create("jaeger");
    dir.write("config.yaml", """
        service:
          extensions: [jaeger_storage, jaeger_query]
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [jaeger_storage_exporter]
          telemetry:
            metrics:
              level: none
        extensions:
          jaeger_query:
            storage:
              traces: traces
              metrics: victoriametrics
            http:
              endpoint: 127.0.0.1:%d
            grpc:
              endpoint: 127.0.0.1:%d
          jaeger_storage:
            backends:
              traces:
                memory:
                  max_traces: 1000
            metric_backends:
              victoriametrics:
                prometheus:
                  endpoint: %s
                  metric_namespace: traces_span_metrics
                  normalize_calls: true
                  normalize_duration: true
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:%d
        exporters:
          jaeger_storage_exporter:
            trace_storage: traces
        """.formatted(httpPort, FreePorts.pick(), storeUrl, FreePorts.pick()));
    ChildProcess process = ChildProcess.start("jaeger",
        List.of(Peers.JAEGER.path().toString(), "--config", dir.resolve("config.yaml").toString()),
        dir.resolve("jaeger.log"));
    Jaeger jaeger = new Jaeger(dir, process, httpPort);
    try {
      process.awaitReady(() -> jaeger.tryGet("/api/services") == 200, Duration.ofSeconds(60), "Jaeger");
    } catch (RuntimeException e) {
      dir.close();
      throw e;
    }
    return jaeger;
  }

  /** GET {@code pathAndQuery} on the query API; fails unless it answers 200. */
  public String get(String pathAndQuery) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + pathAndQuery))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("Jaeger answered " + response.statusCode() + " to " + pathAndQuery + ": "
          + response.body());
    }
    return response.body();
  }

  private int tryGet(String path) {
    try {
      return HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
              .timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
    dir.close();
  }
}
