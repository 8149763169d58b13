package io.tracemetrics.local.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tracemetrics.local.kafka.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * <p>Phase 1, the no-gateway ceiling: the same request bytes produced straight into Kafka as records by the
 * same number of senders, with the gateway's producer settings. Phase 2: the gateway in a child JVM, driven
 * over OTLP/HTTP protobuf (and gRPC if asked); its CPU time comes from {@code /proc}. Prints a Markdown
 * report and writes it to {@code --report}. {@code --help} lists the options.
 */
public final class GatewayLoad {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayLoad.class);
  static final String TOPIC = "otlp_spans";

  private GatewayLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println(LoadOptions.usage());
      return;
    }
    LoadOptions options = LoadOptions.parse(args);
    if (!ProcessCpu.available()) {
      LOG.warn("no /proc here: CPU time and spans per core are not measured (NaN)");
    }
    RequestCorpus corpus = RequestCorpus.build(options);
    LOG.info("{} distinct requests of {} spans, {} bytes on average", corpus.size(), corpus.spansPerRequest(),
        Math.round(corpus.averageBytes()));
    PhaseResult ceiling;
    PhaseResult gateway;
    try (KafkaBroker broker = KafkaBroker.builder().maxHeapMb(1024).start()) {
      broker.createTopic(TOPIC, options.partitions());
      ceiling = ceiling(broker.bootstrapServers(), options, corpus);
      gateway = throughGateway(broker.bootstrapServers(), options, corpus);
    }
    String report = BenchReport.render(options, corpus, ceiling, gateway);
    System.out.println(report);
    Path file = Path.of(options.reportFile());
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, report);
    LOG.info("report written to {}", file.toAbsolutePath());
  }

  private static PhaseResult ceiling(String bootstrap, LoadOptions options, RequestCorpus corpus)
      throws Exception {
    try (Producer<byte[], byte[]> producer = new KafkaProducer<>(gatewayProducerSettings(bootstrap))) {
      List<LoadCall> calls = new ArrayList<>();
      for (int i = 0; i < options.senders(); i++) {
        calls.add(request -> {
          producer.send(new ProducerRecord<>(TOPIC, request)).get(30, TimeUnit.SECONDS);
          return true;
        });
      }
      LOG.info("phase 1: {} senders straight into Kafka", calls.size());
      long self = ProcessHandle.current().pid();
      return LoadPhase.run("kafka-direct", calls, corpus, options.warmup(), options.duration(),
          () -> ProcessCpu.seconds(self));
    }
  }

  private static PhaseResult throughGateway(String bootstrap, LoadOptions options, RequestCorpus corpus)
      throws Exception {
    try (GatewayProcess gateway = GatewayProcess.start(bootstrap, options.gatewayHeapMb(),
        Math.max(16, options.senders()))) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort())
          .usePlaintext().build();
      List<LoadCall> calls = new ArrayList<>();
      try {
        for (int i = 0; i < options.httpSenders(); i++) {
          calls.add(new RawHttpCall("127.0.0.1", gateway.httpPort()));
        }
        for (int i = 0; i < options.grpcSenders(); i++) {
          calls.add(new GrpcCall(channel));
        }
        LOG.info("phase 2: {} HTTP and {} gRPC senders through the gateway (pid {})", options.httpSenders(),
            options.grpcSenders(), gateway.pid());
        return LoadPhase.run("gateway", calls, corpus, options.warmup(), options.duration(),
            () -> ProcessCpu.seconds(gateway.pid()));
      } finally {
        for (LoadCall call : calls) {
          call.close();
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** The producer settings the gateway uses by default (see otlp-gateway's README). */
  static Map<String, Object> gatewayProducerSettings(String bootstrap) {
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
