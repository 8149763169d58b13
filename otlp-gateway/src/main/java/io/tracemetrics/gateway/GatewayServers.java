package io.tracemetrics.gateway;

import static io.tracemetrics.gateway.GatewaySettings.AUTH_TOKEN;
import static io.tracemetrics.gateway.GatewaySettings.BIND_ADDRESS;
import static io.tracemetrics.gateway.GatewaySettings.CORS_ALLOWED_ORIGINS;
import static io.tracemetrics.gateway.GatewaySettings.GRPC_PORT;
import static io.tracemetrics.gateway.GatewaySettings.GRPC_THREADS;
import static io.tracemetrics.gateway.GatewaySettings.HEALTH_PORT;
import static io.tracemetrics.gateway.GatewaySettings.HTTP_IO_THREADS;
import static io.tracemetrics.gateway.GatewaySettings.HTTP_PORT;
import static io.tracemetrics.gateway.GatewaySettings.HTTP_THREADS;
import static io.tracemetrics.gateway.GatewaySettings.KAFKA_BATCH_SIZE;
import static io.tracemetrics.gateway.GatewaySettings.KAFKA_BOOTSTRAP_SERVERS;
import static io.tracemetrics.gateway.GatewaySettings.KAFKA_COMPRESSION;
import static io.tracemetrics.gateway.GatewaySettings.KAFKA_LINGER_MS;
import static io.tracemetrics.gateway.GatewaySettings.MAX_IN_FLIGHT_BYTES;
import static io.tracemetrics.gateway.GatewaySettings.MAX_MESSAGE_BYTES;
import static io.tracemetrics.gateway.GatewaySettings.MAX_RECORD_BYTES;
import static io.tracemetrics.gateway.GatewaySettings.METRICS_PORT;
import static io.tracemetrics.gateway.GatewaySettings.REGION;
import static io.tracemetrics.gateway.GatewaySettings.RETRY_AFTER_SECONDS;
import static io.tracemetrics.gateway.GatewaySettings.SEND_TIMEOUT;
import static io.tracemetrics.gateway.GatewaySettings.SHUTDOWN_TIMEOUT;
import static io.tracemetrics.gateway.GatewaySettings.TLS_CERT_FILE;
import static io.tracemetrics.gateway.GatewaySettings.TLS_CLIENT_CA_FILE;
import static io.tracemetrics.gateway.GatewaySettings.TLS_KEY_FILE;
import static io.tracemetrics.gateway.GatewaySettings.TOPIC;

import io.grpc.Server;
import io.tracemetrics.gateway.http.BoundedHttpServer;
import io.tracemetrics.gateway.http.NettyHttpServer;
import io.tracemetrics.gateway.ingest.InFlightLimiter;
import io.tracemetrics.gateway.ingest.TraceIngest;
import io.tracemetrics.gateway.kafka.KafkaClusterProbe;
import io.tracemetrics.gateway.kafka.KafkaRecordPublisher;
import io.tracemetrics.gateway.kafka.RecordPublisher;
import io.tracemetrics.gateway.metrics.GatewayMetrics;
import io.tracemetrics.gateway.metrics.MetricsRegistry;
import io.tracemetrics.gateway.metrics.RefusalLog;
import io.tracemetrics.gateway.otlp.BearerAuth;
import io.tracemetrics.gateway.otlp.GrpcTraceReceiver;
import io.tracemetrics.gateway.otlp.HttpTraceReceiver;
import io.tracemetrics.gateway.otlp.ReceiverSettings;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a started {@link OtlpGateway} runs, wired from its settings: the Kafka publisher and health probe,
 * the four servers (OTLP/gRPC, OTLP/HTTP, health, metrics) and the self-metrics; and their orderly stop.
 */
final class GatewayServers {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayServers.class);
  private static final Duration HEALTH_PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration HEALTH_CACHE_TTL = Duration.ofSeconds(2);

  private final GatewaySettings settings;
  private final GatewayMetrics metrics;
  private RecordPublisher publisher;
  @Nullable private KafkaClusterProbe clusterProbe;
  private BoundedHttpServer metricsServer;
  private BoundedHttpServer healthServer;
  private NettyHttpServer httpServer;
  private Server grpcServer;
  private ExecutorService grpcExecutor;

  private GatewayServers(GatewaySettings settings, GatewayMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  /**
   * Binds all four servers, publishing through {@code publisher} and probing Kafka with {@code probe} when
   * given (else a Kafka producer and admin client); on failure everything already started is closed again.
   */
  static GatewayServers start(GatewaySettings settings, @Nullable RecordPublisher publisher,
      @Nullable BooleanSupplier probe) throws IOException {
    MetricsRegistry registry = new MetricsRegistry();
    GatewayServers servers = new GatewayServers(settings, new GatewayMetrics(registry));
    try {
      servers.start(registry, publisher, probe);
    } catch (IOException | RuntimeException e) {
      LOG.error("gateway failed to start; closing what was started", e);
      servers.close();
      throw e;
    }
    return servers;
  }

  private void start(MetricsRegistry registry, @Nullable RecordPublisher injectedPublisher,
      @Nullable BooleanSupplier injectedProbe) throws IOException {
    Instant upSince = Instant.now();
    // Read the TLS files first: a bad file fails the start before any port is bound.
    ServerTls tls = settings.tlsEnabled()
        ? ServerTls.load(settings.get(TLS_CERT_FILE), settings.get(TLS_KEY_FILE), settings.get(TLS_CLIENT_CA_FILE))
        : null;
    publisher = injectedPublisher != null ? injectedPublisher : kafkaPublisher();
    BooleanSupplier probe = injectedProbe;
    if (probe == null) {
      clusterProbe = new KafkaClusterProbe(settings.get(KAFKA_BOOTSTRAP_SERVERS), settings.kafkaProperties(),
          HEALTH_PROBE_TIMEOUT);
      probe = clusterProbe;
    }
    CachedReachability reachability = new CachedReachability(probe, HEALTH_CACHE_TTL, System::nanoTime);
    InFlightLimiter limiter = new InFlightLimiter(settings.get(MAX_IN_FLIGHT_BYTES));
    metrics.inFlightBytes(limiter::inFlightBytes);
    metrics.kafkaReachable(() -> reachability.lastKnown() ? 1 : 0);
    metrics.startTimeSeconds(upSince.toEpochMilli() / 1000.0);
    RefusalLog refusals = RefusalLog.everyTenSeconds();
    TraceIngest ingest = new TraceIngest(publisher, metrics, limiter, refusals, settings.get(SEND_TIMEOUT));
    ReceiverSettings receiverSettings = new ReceiverSettings(settings.get(MAX_MESSAGE_BYTES),
        settings.get(SEND_TIMEOUT), settings.get(RETRY_AFTER_SECONDS), new BearerAuth(settings.get(AUTH_TOKEN)),
        settings.get(CORS_ALLOWED_ORIGINS));
    String host = settings.get(BIND_ADDRESS);
    metricsServer = BoundedHttpServer.start("metrics", host, settings.get(METRICS_PORT), 2,
        Map.of("/", new MetricsHandler(registry)));
    healthServer = BoundedHttpServer.start("health", host, settings.get(HEALTH_PORT), 2,
        Map.of("/", new HealthHandler(reachability, upSince)));
    grpcExecutor = Executors.newFixedThreadPool(settings.get(GRPC_THREADS), daemonThreads("otlp-grpc"));
    grpcServer = new GrpcTraceReceiver(ingest, metrics, refusals, receiverSettings)
        .start(host, settings.get(GRPC_PORT), grpcExecutor, tls == null ? null : tls.grpcSslContext());
    NettyHttpServer.Builder http = NettyHttpServer.builder()
        .name("otlp-http").host(host).port(settings.get(HTTP_PORT)).threads(settings.get(HTTP_THREADS))
        .ioThreads(settings.get(HTTP_IO_THREADS))
        .maxBodyBytes(settings.get(MAX_MESSAGE_BYTES))
        // Bodies being received get their own budget of the same size as the bytes waiting for Kafka.
        .bodyBudget(new InFlightLimiter(settings.get(MAX_IN_FLIGHT_BYTES)))
        .service(new HttpTraceReceiver(ingest, metrics, refusals, receiverSettings));
    if (tls != null) {
      http.tls(tls::newHttpEngine);
    }
    httpServer = http.start();
  }

  private KafkaRecordPublisher kafkaPublisher() {
    KafkaRecordPublisher.Builder builder = KafkaRecordPublisher.builder()
        .bootstrapServers(settings.get(KAFKA_BOOTSTRAP_SERVERS))
        .topic(settings.get(TOPIC))
        .region(settings.get(REGION))
        .compression(settings.get(KAFKA_COMPRESSION))
        .lingerMs(settings.get(KAFKA_LINGER_MS))
        .batchSize(settings.get(KAFKA_BATCH_SIZE))
        .maxRequestSize(settings.get(MAX_RECORD_BYTES))
        .sendTimeout(settings.get(SEND_TIMEOUT))
        .closeTimeout(settings.get(SHUTDOWN_TIMEOUT));
    settings.kafkaProperties().forEach((key, value) -> builder.property(key, String.valueOf(value)));
    return builder.build();
  }

  int grpcPort() {
    return grpcServer.getPort();
  }

  int httpPort() {
    return httpServer.port();
  }

  int healthPort() {
    return healthServer.port();
  }

  int metricsPort() {
    return metricsServer.port();
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  /**
   * Graceful stop: the receivers stop accepting and in-flight requests get their answer (bounded by the
   * shutdown timeout), then the producer flushes and closes, then health and metrics go away.
   */
  void close() {
    Duration grace = settings.get(SHUTDOWN_TIMEOUT);
    if (grpcServer != null) {
      grpcServer.shutdown();
    }
    if (httpServer != null) {
      httpServer.stop(grace);
    }
    if (grpcServer != null) {
      awaitGrpc(grace);
    }
    if (grpcExecutor != null) {
      grpcExecutor.shutdown();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (clusterProbe != null) {
      clusterProbe.close();
    }
    if (healthServer != null) {
      healthServer.stop(Duration.ZERO);
    }
    if (metricsServer != null) {
      metricsServer.stop(Duration.ZERO);
    }
  }

  private void awaitGrpc(Duration grace) {
    try {
      if (!grpcServer.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("gRPC calls still running after {}; cancelling them", grace);
        grpcServer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      grpcServer.shutdownNow();
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger next = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
