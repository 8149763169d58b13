package io.tracemetrics.gateway.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.annotation.Nullable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code TracesData} values to one Kafka topic with an idempotent, {@code acks=all} producer.
 * Records have no key (the job keys by service and span name itself), so the producer spreads them over
 * the partitions; the optional {@code region} header is added to every record.
 *
 * <p>{@code send()} waits when the topic's metadata is unknown or the producer's buffer is full. The
 * publisher tells callers when neither can happen ({@link #publishesWithoutWaiting}): Kafka acknowledged
 * the last record that was answered, and the buffer has room for this value and a quarter of the buffer
 * to spare for sends racing with it.
 */
public final class KafkaRecordPublisher implements RecordPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaRecordPublisher.class);

  /** Header carrying the gateway's region, when one is configured. */
  public static final String REGION_HEADER = "region";
  /**
   * Bytes of a record's size budget kept for the batch and record framing and headers: the producer
   * checks {@code max.request.size} against value plus this overhead.
   */
  static final int RECORD_OVERHEAD_BYTES = 1024;

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final List<Header> headers;
  private final int maxValueBytes;
  private final Duration closeTimeout;
  private final long bufferMemory;
  @Nullable private final Metric bufferAvailable;
  /** Whether the last record answered was acknowledged: the producer has the topic's metadata. */
  private volatile boolean flowing;

  private KafkaRecordPublisher(Builder builder, Producer<byte[], byte[]> producer, long bufferMemory) {
    this.producer = producer;
    this.topic = builder.topic;
    this.headers = builder.region == null || builder.region.isEmpty()
        ? List.of()
        : List.of(new RecordHeader(REGION_HEADER, builder.region.getBytes(StandardCharsets.UTF_8)));
    this.maxValueBytes = builder.maxRequestSize - RECORD_OVERHEAD_BYTES;
    this.closeTimeout = builder.closeTimeout;
    this.bufferMemory = bufferMemory;
    this.bufferAvailable = producer.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("buffer-available-bytes")
            && e.getKey().group().equals("producer-metrics"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletableFuture<Void> publish(List<byte[]> values) {
    List<CompletableFuture<Void>> acks = new ArrayList<>(values.size());
    for (byte[] value : values) {
      acks.add(send(value));
    }
    return CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]));
  }

  private CompletableFuture<Void> send(byte[] value) {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    try {
      ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, (Integer) null, (byte[]) null, value, headers);
      producer.send(record, (metadata, error) -> {
        flowing = error == null;
        if (error == null) {
          ack.complete(null);
        } else {
          ack.completeExceptionally(error);
        }
      });
    } catch (RuntimeException e) {
      // send() throws synchronously when metadata or buffer space is not available within max.block.ms.
      flowing = false;
      ack.completeExceptionally(e);
    }
    return ack;
  }

  @Override
  public boolean publishesWithoutWaiting(long bytes) {
    if (!flowing || bufferAvailable == null) {
      return false;
    }
    Object available = bufferAvailable.metricValue();
    return available instanceof Number n && n.doubleValue() - bytes >= bufferMemory / 4.0;
  }

  @Override
  public int maxValueBytes() {
    return maxValueBytes;
  }

  @Override
  public void close() {
    LOG.info("flushing and closing the Kafka producer (timeout {})", closeTimeout);
    producer.close(closeTimeout);
  }

  /**
   * Refuses passthrough producer properties that would let a request be acknowledged before Kafka
   * stored every record of it (acks other than all, idempotence off, more than 5 requests in flight,
   * no retries, a transactional id, other serializers), naming each one and why.
   *
   * @throws IllegalStateException when any of {@code properties} is unsafe
   */
  public static void checkPassthroughProperties(Map<String, ?> properties) {
    ProducerSafety.check(properties);
  }

  /** Effective producer configuration (before the passthrough properties were applied on top). */
  static Map<String, Object> producerConfig(Builder builder) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, builder.bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, builder.compression);
    config.put(ProducerConfig.LINGER_MS_CONFIG, builder.lingerMs);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, builder.batchSize);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, builder.maxRequestSize);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, builder.bufferMemory);
    long deliveryMs = builder.sendTimeout.toMillis();
    // delivery.timeout.ms must be >= linger.ms + request.timeout.ms, so split the budget in two.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryMs);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, deliveryMs / 2 - builder.lingerMs));
    // send() blocks the calling thread while metadata is missing: keep that inside the request's budget.
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(builder.maxBlock.toMillis(), deliveryMs / 2));
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "otlp-gateway");
    config.putAll(builder.properties);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return config;
  }

  /** Builder; every setting has a default except the bootstrap servers. */
  public static final class Builder {
    private String bootstrapServers;
    private String topic = "otlp_spans";
    @Nullable private String region;
    private String compression = "lz4";
    private int lingerMs = 10;
    private int batchSize = 256 * 1024;
    private int maxRequestSize = 1024 * 1024;
    private long bufferMemory = 64L * 1024 * 1024;
    private Duration sendTimeout = Duration.ofSeconds(30);
    private Duration maxBlock = Duration.ofSeconds(10);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private final Map<String, Object> properties = new LinkedHashMap<>();

    private Builder() {}

    /** Required. */
    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = Objects.requireNonNull(servers, "servers");
      return this;
    }

    /** Default {@code otlp_spans}. */
    public Builder topic(String topic) {
      this.topic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /** Default none: no {@code region} header. */
    public Builder region(@Nullable String region) {
      this.region = region;
      return this;
    }

    /** Default {@code lz4}; any Kafka compression type. */
    public Builder compression(String compression) {
      this.compression = Objects.requireNonNull(compression, "compression");
      return this;
    }

    /** Default 10 ms. */
    public Builder lingerMs(int lingerMs) {
      this.lingerMs = lingerMs;
      return this;
    }

    /** Default 256 KiB. */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** The producer's {@code max.request.size}, default 1 MiB; values are kept 1 KiB below it. */
    public Builder maxRequestSize(int bytes) {
      this.maxRequestSize = bytes;
      return this;
    }

    /** Default 64 MiB. */
    public Builder bufferMemory(long bytes) {
      this.bufferMemory = bytes;
      return this;
    }

    /** Upper bound from send to acknowledgement ({@code delivery.timeout.ms}), default 30 s. */
    public Builder sendTimeout(Duration timeout) {
      this.sendTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How long {@code send} may wait for metadata or buffer space ({@code max.block.ms}), default 10 s. */
    public Builder maxBlock(Duration maxBlock) {
      this.maxBlock = Objects.requireNonNull(maxBlock, "maxBlock");
      return this;
    }

    /** How long {@link #close()} waits for pending records, default 30 s. */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Any producer property (security settings etc.); wins over the settings above. */
    public Builder property(String key, String value) {
      properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Passthrough properties as given (for the admin client of the health probe). */
    public Map<String, Object> passthroughProperties() {
      return Map.copyOf(properties);
    }

    public KafkaRecordPublisher build() {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalStateException("Kafka bootstrap servers are required");
      }
      ProducerSafety.check(properties);
      if (maxRequestSize <= 2 * RECORD_OVERHEAD_BYTES) {
        throw new IllegalStateException("maxRequestSize too small: " + maxRequestSize);
      }
      if (sendTimeout.toMillis() < 2L * lingerMs + 2) {
        throw new IllegalStateException("sendTimeout must be well above linger.ms: " + sendTimeout);
      }
      Object configured = properties.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
      if (configured != null) {
        maxRequestSize = Integer.parseInt(configured.toString());
      }
      Map<String, Object> config = producerConfig(this);
      long buffer = Long.parseLong(config.get(ProducerConfig.BUFFER_MEMORY_CONFIG).toString());
      return new KafkaRecordPublisher(this, new KafkaProducer<>(config), buffer);
    }
  }
}
