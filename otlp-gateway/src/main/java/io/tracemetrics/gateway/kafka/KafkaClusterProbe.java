package io.tracemetrics.gateway.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "can the gateway reach Kafka right now?" with an admin {@code describeCluster} call bounded by
 * a short timeout. The producer's own metadata is no good for this: it stays cached while brokers are down.
 */
public final class KafkaClusterProbe implements BooleanSupplier, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaClusterProbe.class);

  private final Admin admin;
  private final Duration timeout;
  private volatile boolean lastResult = true;

  /**
   * @param bootstrapServers the cluster
   * @param passthrough security and other client properties shared with the producer
   * @param timeout bound of one probe
   */
  public KafkaClusterProbe(String bootstrapServers, Map<String, Object> passthrough, Duration timeout) {
    Map<String, Object> config = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : passthrough.entrySet()) {
      // Only client-wide settings (security, dns, ...) make sense for the admin client.
      if (AdminClientConfig.configNames().contains(entry.getKey())) {
        config.put(entry.getKey(), entry.getValue());
      }
    }
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "otlp-gateway-health");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    this.admin = Admin.create(config);
    this.timeout = timeout;
  }

  @Override
  public boolean getAsBoolean() {
    boolean reachable;
    try {
      Collection<Node> nodes = admin.describeCluster(
              new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
          .nodes().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
      reachable = !nodes.isEmpty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reachable = false;
    } catch (ExecutionException | TimeoutException e) {
      reachable = false;
    }
    if (reachable != lastResult) {
      LOG.warn("Kafka cluster is now {}", reachable ? "reachable" : "UNREACHABLE");
      lastResult = reachable;
    }
    return reachable;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
