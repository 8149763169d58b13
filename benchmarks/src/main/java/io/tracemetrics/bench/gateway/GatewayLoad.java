package io.tracemetrics.bench.gateway;

import io.tracemetrics.bench.PhaseResult;
import io.tracemetrics.bench.Cpu;
import io.tracemetrics.bench.otlp.GrpcCall;
import io.tracemetrics.bench.otlp.LoadCall;
import io.tracemetrics.bench.otlp.RawHttpCall;
import io.tracemetrics.bench.otlp.SendOutcome;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tracemetrics.testsupport.kafka.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load harness of the OTLP gateway: a real broker, pre-encoded export requests, closed-loop senders.
 *
 * <p>Two phases, alternated for {@code --rounds} rounds on the same broker: the no-gateway ceiling (the same
 * request bytes produced straight into Kafka as records by the same number of senders, with the gateway's
 * producer settings) and the gateway in a child JVM, driven over OTLP/HTTP protobuf (and gRPC if asked).
 * Alternating puts the machine's drift into both phases; the share of the ceiling is judged on all rounds
 * together (see {@link BenchReport}). CPU time comes from {@code /proc}. Prints a Markdown report and writes it to {@code --report};
 * {@code --help} lists the options.
 */
public final class GatewayLoad {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayLoad.class);
  static final String TOPIC = "otlp_spans";
  static final String BROKER = "broker";
  static final String LOAD = "load generator";
  static final String GATEWAY = "gateway";
  static final String MACHINE = "machine";
  static final int BROKER_HEAP_MB = 1024;
  /** The most each partition of the broker keeps ({@code log.retention.bytes}), in MiB. */
  static final int BROKER_LOG_MIB_PER_PARTITION = 128;

  private GatewayLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println(LoadOptions.usage());
      return;
    }
    LoadOptions options = LoadOptions.parse(args);
    if (!Cpu.procAvailable()) {
      LOG.warn("no /proc here: CPU time and spans per core are not measured (NaN)");
    }
    if (!options.brokerParent().equals(Path.of(options.brokerDir()))) {
      LOG.warn("--broker-dir={} is not a writable directory: the broker's data goes to {}", options.brokerDir(),
          options.brokerParent());
    }
    RequestCorpus corpus = RequestCorpus.build(options);
    LOG.info("{} distinct requests of {} spans, {} bytes on average", corpus.size(), corpus.spansPerRequest(),
        Math.round(corpus.averageBytes()));
    List<PhaseResult> ceilings = new ArrayList<>();
    List<PhaseResult> gateways = new ArrayList<>();
    try (KafkaBroker broker = benchBroker(options.brokerParent()).start()) {
      // Ctrl-C skips the close below; on tmpfs the broker's data would hold memory until the next reboot.
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "bench-broker-cleanup"));
      broker.createTopic(TOPIC, options.partitions());
      try (Producer<byte[], byte[]> producer = new KafkaProducer<>(gatewayProducerSettings(broker.bootstrapServers()));
          GatewayProcess gateway = GatewayProcess.start(broker.bootstrapServers(), options.gatewayHeapMb(),
              Math.max(16, options.senders()));
          GatewayClients clients = new GatewayClients(gateway, options)) {
        Map<String, DoubleSupplier> cpu = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        cpu.put(BROKER, () -> Cpu.processSeconds(broker.pid()));
        cpu.put(LOAD, () -> Cpu.processSeconds(self));
        cpu.put(GATEWAY, () -> Cpu.processSeconds(gateway.pid()));
        cpu.put(MACHINE, Cpu::machineBusySeconds);
        List<LoadCall> direct = directCalls(producer, options.senders());
        LOG.info("gateway pid {}; {} rounds of {} senders straight into Kafka, then {} HTTP and {} gRPC senders "
            + "through the gateway", gateway.pid(), options.rounds(), direct.size(), options.httpSenders(),
            options.grpcSenders());
        for (int round = 1; round <= options.rounds(); round++) {
          Duration lead = round == 1 ? options.warmup() : options.settle();
          LOG.info("round {}: Kafka direct", round);
          ceilings.add(LoadPhase.run("kafka-direct", direct, corpus, lead, options.duration(), cpu, LOAD));
          LOG.info("round {}: through the gateway", round);
          gateways.add(LoadPhase.run("gateway", clients.calls(), corpus, lead, options.duration(), cpu, GATEWAY));
        }
      }
    }
    String report = BenchReport.render(options, corpus, ceilings, gateways);
    System.out.println(report);
    Path file = Path.of(options.reportFile());
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, report);
    LOG.info("report written to {}", file.toAbsolutePath());
  }

  /**
   * The broker of the run: a production JVM (see {@link KafkaBroker.Builder#forLoad()}), and a bounded log,
   * so that a run neither fills the disk nor tmpfs: 64 MiB segments, at most
   * {@link #BROKER_LOG_MIB_PER_PARTITION} MiB per partition, deleted within seconds.
   */
  static KafkaBroker.Builder benchBroker(Path parent) {
    return KafkaBroker.builder()
        .maxHeapMb(BROKER_HEAP_MB)
        .forLoad()
        .parentDirectory(parent)
        .property("log.segment.bytes", Integer.toString(64 << 20))
        .property("log.retention.bytes", Integer.toString(BROKER_LOG_MIB_PER_PARTITION << 20))
        .property("log.retention.check.interval.ms", "2000")
        .property("log.segment.delete.delay.ms", "500");
  }

  private static final SendOutcome KAFKA_ACKED = new SendOutcome(SendOutcome.Verdict.ACCEPTED, "kafka acked");

  private static List<LoadCall> directCalls(Producer<byte[], byte[]> producer, int senders) {
    List<LoadCall> calls = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      calls.add(request -> {
        producer.send(new ProducerRecord<>(TOPIC, request)).get(30, TimeUnit.SECONDS);
        return KAFKA_ACKED;
      });
    }
    return calls;
  }

  /** The senders of the gateway phase; their connections stay open from round to round. */
  private static final class GatewayClients implements AutoCloseable {
    private final ManagedChannel channel;
    private final List<LoadCall> calls = new ArrayList<>();

    GatewayClients(GatewayProcess gateway, LoadOptions options) {
      channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
      for (int i = 0; i < options.httpSenders(); i++) {
        calls.add(new RawHttpCall("127.0.0.1", gateway.httpPort()));
      }
      for (int i = 0; i < options.grpcSenders(); i++) {
        calls.add(new GrpcCall(channel));
      }
    }

    List<LoadCall> calls() {
      return calls;
    }

    @Override
    public void close() throws Exception {
      for (LoadCall call : calls) {
        call.close();
      }
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** The producer settings the gateway uses by default (see otlp-gateway's README). */
  public static Map<String, Object> gatewayProducerSettings(String bootstrap) {
    return Map.ofEntries(
        Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
        Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
        Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
        Map.entry(ProducerConfig.LINGER_MS_CONFIG, 10),
        Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
        Map.entry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024),
        Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024),
        Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()),
        Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
  }
}
