package io.tracemetrics.bench.compare;

import io.tracemetrics.bench.compare.job.JobProcess;
import io.tracemetrics.bench.compare.load.Endpoint;
import io.tracemetrics.bench.gateway.GatewayProcess;
import io.tracemetrics.testsupport.kafka.KafkaBroker;
import io.tracemetrics.testsupport.process.WorkDir;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This pipeline, each part in its own process as deployed: the gateway (child JVM), a KRaft broker (child
 * JVM, its log on the machine's disk), the job on a local MiniCluster (child JVM, checkpoints retained in a
 * directory of this run) and VictoriaMetrics, on a topic of 2 partitions as in the demo.
 * {@link StackKind#PIPELINE} runs the job with the demo's settings (5 s windows, a checkpoint every 2 s,
 * parallelism 2), {@link StackKind#PIPELINE_TUNED} with its production defaults (10 s windows, a checkpoint
 * every 10 s) at parallelism 1: one slot for the job on a 2-core machine that also runs the gateway, the
 * broker and the store.
 */
final class PipelineStack implements Stack {
  static final String TOPIC = "otlp_spans";
  static final int PARTITIONS = 2;
  static final int GATEWAY_HEAP_MB = 512;
  static final int JOB_HEAP_MB = 1536;
  static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);

  private final StackKind kind;
  private final Duration window;
  private final Duration checkpointInterval;
  private final int parallelism;
  private final WorkDir dir;
  private final VictoriaMetrics store;
  private final KafkaBroker broker;
  private final GatewayProcess gateway;
  private JobProcess job;
  private int restarts;

  private PipelineStack(StackKind kind, WorkDir dir, VictoriaMetrics store, KafkaBroker broker,
      GatewayProcess gateway) {
    this.kind = kind;
    this.window = kind == StackKind.PIPELINE ? Duration.ofSeconds(5) : Duration.ofSeconds(10);
    this.checkpointInterval = kind == StackKind.PIPELINE ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
    this.parallelism = kind == StackKind.PIPELINE ? 2 : 1;
    this.dir = dir;
    this.store = store;
    this.broker = broker;
    this.gateway = gateway;
  }

  static PipelineStack start(StackKind kind) throws Exception {
    List<AutoCloseable> started = new ArrayList<>();
    WorkDir dir = WorkDir.create("compare-pipeline");
    started.add(dir::close);
    try {
      VictoriaMetrics store = VictoriaMetrics.builder().start();
      started.add(store);
      KafkaBroker broker = broker();
      started.add(broker);
      broker.createTopic(TOPIC, PARTITIONS);
      GatewayProcess gateway = GatewayProcess.start(broker.bootstrapServers(), GATEWAY_HEAP_MB);
      started.add(gateway);
      PipelineStack stack = new PipelineStack(kind, dir, store, broker, gateway);
      stack.job = stack.startJob(null);
      return stack;
    } catch (Exception e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).close();
      }
      throw e;
    }
  }

  /**
   * A production-like broker JVM (G1, C2, the whole heap from the start) whose log outlives any pause of the
   * job in a run: up to 8 GiB and 30 minutes per partition.
   */
  static KafkaBroker broker() {
    return KafkaBroker.builder()
        .maxHeapMb(1024)
        .forLoad()
        .property("log.retention.bytes", Long.toString(8L << 30))
        .property("log.retention.ms", Long.toString(Duration.ofMinutes(30).toMillis()))
        .start();
  }

  private JobProcess startJob(Path restoreFrom) {
    List<String> args = List.of(
        "--kafka.bootstrap-servers=" + broker.bootstrapServers(),
        "--kafka.topic=" + TOPIC,
        "--kafka.group-id=bench-compare",
        "--remote-write.url=" + store.remoteWriteUrl(),
        "--window.size=" + window.toMillis() + "ms",
        "--watermark.out-of-orderness=" + OUT_OF_ORDERNESS.toMillis() + "ms",
        "--checkpoint.interval=" + checkpointInterval.toMillis() + "ms");
    return JobProcess.start(args, dir.resolve("checkpoints"), restoreFrom, parallelism, JOB_HEAP_MB);
  }

  @Override
  public StackKind kind() {
    return kind;
  }

  @Override
  public String settings() {
    return "gateway (" + GATEWAY_HEAP_MB + " MiB heap) → Kafka (" + PARTITIONS + " partitions, acks=all) → job (window "
        + window.toSeconds() + " s, checkpoint " + checkpointInterval.toSeconds() + " s, parallelism " + parallelism
        + ", " + JOB_HEAP_MB + " MiB heap) → remote write → VictoriaMetrics";
  }

  @Override
  public Endpoint endpoint() {
    return new Endpoint("127.0.0.1", gateway.httpPort(), gateway.grpcPort());
  }

  @Override
  public VictoriaMetrics store() {
    return store;
  }

  @Override
  public Map<String, Long> processes() {
    Map<String, Long> processes = new LinkedHashMap<>();
    processes.put("gateway", gateway.pid());
    processes.put("kafka", broker.pid());
    processes.put("job", job.pid());
    processes.put("victoria-metrics", store.pid());
    return processes;
  }

  @Override
  public Duration nominalDelay() {
    // The window, out-of-orderness, the idle timeout of a partition without spans, a checkpoint, the store.
    return window.plus(OUT_OF_ORDERNESS).plusSeconds(2).plus(checkpointInterval).plusSeconds(2);
  }

  @Override
  public void restartGracefully() throws Exception {
    Path savepoints = dir.resolve("savepoints-" + ++restarts);
    String savepoint = job.stopWithSavepoint(savepoints);
    job.close();
    job = startJob(Path.of(URI.create(savepoint)));
  }

  @Override
  public void restartAfterKill() {
    job.kill();
    job.close();
    Path checkpoint = JobProcess.newestRetainedCheckpoint(dir.resolve("checkpoints"))
        .orElseThrow(() -> new IllegalStateException("the killed job left no retained checkpoint in "
            + dir.resolve("checkpoints")));
    job = startJob(checkpoint);
  }

  @Override
  public void close() {
    List<AutoCloseable> parts = new ArrayList<>();
    if (job != null) {
      parts.add(job);
    }
    parts.add(gateway);
    parts.add(broker);
    parts.add(store);
    parts.add(dir::close);
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop " + part, e);
      }
    }
  }
}
