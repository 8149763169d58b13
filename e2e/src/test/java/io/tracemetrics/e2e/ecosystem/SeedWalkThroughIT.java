package io.tracemetrics.e2e.ecosystem;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.demo.LocalDemo;
import io.tracemetrics.testsupport.peers.Peers;
import io.tracemetrics.testsupport.process.ChildProcess;
import io.tracemetrics.testsupport.process.WorkDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The walk-through of docs/getting-started.md ("Send a span with telemetrygen or Python"), exactly as
 * written there, against the demo with its own settings: the {@code telemetrygen} line (OTLP/HTTP
 * protobuf) and the Python snippet (the OpenTelemetry Python SDK's gRPC {@code OTLPSpanExporter}). Only
 * the ports change, to the demo's free ones, and {@code telemetrygen}/{@code python3} are the peers. Each
 * becomes {@code llm_traces_span_metrics_calls_total{service_name=...}} within the doc's promise.
 */
class SeedWalkThroughIT {
  private static final Logger LOG = LoggerFactory.getLogger(SeedWalkThroughIT.class);
  private static final Path DOC = Path.of("..", "docs", "getting-started.md");
  /** The doc promises 10 to 15 s for the demo's settings; a loaded CI machine gets 10 s more. */
  private static final Duration PROMISE = Duration.ofSeconds(25);
  private static LocalDemo demo;
  private static WorkDir dir;

  @BeforeAll
  static void startDemo() throws Exception {
    Peers.TELEMETRYGEN.path();
    Peers.PYTHON.path();
    dir = WorkDir.create("walk-through");
    demo = LocalDemo.builder().anyFreePorts().withPrometheus(false).start();
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) {
      demo.close();
    }
    if (dir != null) {
      dir.close();
    }
  }

  @Test
  void theTelemetrygenLineBecomesACall() throws Exception {
    String line = codeBlocks("sh").stream().flatMap(block -> block.lines())
        .filter(l -> l.startsWith("telemetrygen traces")).findFirst()
        .orElseThrow(() -> new AssertionError("no 'telemetrygen traces' line in " + DOC));
    List<String> command = new ArrayList<>(List.of(withDemoPorts(line).split(" +")));
    command.set(0, Peers.TELEMETRYGEN.path().toString());
    run("telemetrygen", command);
    String service = serviceOf(line, "--service ");
    awaitCall(service, "lets-go", "SPAN_KIND_CLIENT", "STATUS_CODE_OK");
    awaitCall(service, "okey-dokey-0", "SPAN_KIND_SERVER", "STATUS_CODE_OK");
  }

  @Test
  void thePythonSnippetBecomesACall() throws Exception {
    String snippet = codeBlocks("python").stream().findFirst()
        .orElseThrow(() -> new AssertionError("no python block in " + DOC));
    Path script = dir.write("walkthrough.py", withDemoPorts(snippet));
    run("python", List.of(Peers.PYTHON.path().toString(), script.toString()));
    awaitCall(serviceOf(snippet, "\"service.name\": "), "GET /hello", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET");
  }

  private static void run(String name, List<String> command) {
    ChildProcess process = ChildProcess.start(name, command, dir.resolve(name + ".log"));
    assertThat(process.waitFor(Duration.ofSeconds(60))).as("%s ended", name).isTrue();
    assertThat(process.logTail(40)).as("%s's output", name).doesNotContainIgnoringCase("error");
  }

  private static void awaitCall(String service, String span, String kind, String status) {
    long start = System.nanoTime();
    demo.victoriaMetrics().query().awaitValue(
        "llm_traces_span_metrics_calls_total{service_name=\"" + service + "\",span_name=\"" + span
            + "\",span_kind=\"" + kind + "\",status_code=\"" + status + "\"}", 1, PROMISE);
    LOG.info("{} {}: queryable {} ms after the sender ended", service, span,
        Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  private static String withDemoPorts(String text) {
    return text.replace("localhost:4317", "127.0.0.1:" + demo.gateway().grpcPort())
        .replace("localhost:4318", "127.0.0.1:" + demo.gateway().httpPort());
  }

  private static String serviceOf(String text, String before) {
    Matcher m = Pattern.compile(Pattern.quote(before) + "\"?([A-Za-z0-9_.-]+)").matcher(text);
    assertThat(m.find()).as("a service name after %s in %s", before, text).isTrue();
    return m.group(1);
  }

  /** The fenced blocks of the doc tagged {@code language}. */
  private static List<String> codeBlocks(String language) throws IOException {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("(?ms)^```" + language + "\\n(.*?)^```").matcher(Files.readString(DOC));
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }
}
