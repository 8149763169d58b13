package io.tracemetrics.sink;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * A Flink sink writing {@link TimeSeries} to one or more Prometheus Remote-Write 1.0 receivers
 * (VictoriaMetrics, Prometheus...). Each writer batches series and hands every batch to every endpoint's
 * own sender thread, which delivers them in order and retries transient failures; an endpoint holds at
 * most {@code maxBatchesInFlight} batches, then the writer blocks (backpressure). {@code flush}, which Flink calls
 * before each checkpoint barrier, returns only once every endpoint accepted everything buffered or the
 * {@link FailurePolicy} decided: at-least-once delivery, effectively-once storage for deterministic input.
 *
 * <p>Key the input with {@link #seriesKeySelector()} so that one series always goes through one writer;
 * otherwise two writers may deliver samples of one series out of order.
 */
public final class RemoteWriteSink implements Sink<TimeSeries> {
  private static final long serialVersionUID = 1L;

  private final List<URI> endpoints;
  private final Map<String, String> headers;
  private final int maxBatchSamples;
  private final int maxBatchBytes;
  private final Duration maxBufferTime;
  private final int maxBatchesInFlight;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final RetrySettings retry;
  private final TlsSettings tls;

  private RemoteWriteSink(SinkOptions o) {
    this.endpoints = List.copyOf(o.endpoints);
    this.headers = o.requestHeaders();
    this.maxBatchSamples = o.maxBatchSamples;
    this.maxBatchBytes = o.maxBatchBytes;
    this.maxBufferTime = o.maxBufferTime;
    this.maxBatchesInFlight = o.maxBatchesInFlight;
    this.connectTimeout = o.connectTimeout;
    this.requestTimeout = o.requestTimeout;
    this.retry = new RetrySettings(o.initialBackoff, o.maxBackoff, o.maxRetryTime, o.onRejected,
        o.onRetriesExhausted, o.maxSplitRequests);
    this.tls = o.tls;
  }

  /** Starts a sink; only {@link Builder#endpoint(String)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A stable hash of metric name and labels, the same in every JVM: {@code keyBy} with it so that one
   * series always goes through one writer and its samples stay in order.
   */
  public static KeySelector<TimeSeries, Integer> seriesKeySelector() {
    return new SeriesKeySelector();
  }

  @Override
  public SinkWriter<TimeSeries> createWriter(WriterInitContext context) throws IOException {
    HttpClient.Builder httpBuilder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade attempts against plain-HTTP receivers
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (tls != null) {
      httpBuilder.sslContext(tls.sslContext());
    }
    HttpClient http = httpBuilder.build();
    List<String> names = endpointNames(endpoints);
    List<SinkMetrics> allMetrics = new ArrayList<>();
    List<EndpointSender> senders = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      SinkMetrics metrics = new SinkMetrics(context.metricGroup(), names.get(i));
      RemoteWriteClient client = new RemoteWriteClient(endpoints.get(i), names.get(i), headers,
          requestTimeout, http, retry, metrics, d -> Thread.sleep(d.toMillis()));
      EndpointSender sender = EndpointSender.start(client, names.get(i), maxBatchesInFlight);
      metrics.registerQueuedBatches(sender::queuedBatches);
      allMetrics.add(metrics);
      senders.add(sender);
    }
    SinkMetrics.registerCurrentSendTime(context.metricGroup(), allMetrics);
    return new RemoteWriteSinkWriter(senders, context.getProcessingTimeService(), maxBatchSamples,
        maxBatchBytes, maxBufferTime.toMillis());
  }

  /** host:port, made unique with a suffix: the {@code endpoint} metric variable and the log name. */
  static List<String> endpointNames(List<URI> endpoints) {
    List<String> names = new ArrayList<>();
    for (URI uri : endpoints) {
      int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
      String base = uri.getHost() + ":" + port;
      String name = base;
      for (int n = 2; names.contains(name); n++) {
        name = base + "_" + n;
      }
      names.add(name);
    }
    return names;
  }

  @Override
  public String toString() {
    // Header values are left out: they may hold credentials.
    return "RemoteWriteSink{endpoints=" + endpointNames(endpoints) + ", maxBatchSamples="
        + maxBatchSamples + ", maxBatchBytes=" + maxBatchBytes + ", maxBufferTime=" + maxBufferTime
        + ", maxBatchesInFlight=" + maxBatchesInFlight
        + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", " + retry
        + ", headers=" + headers.keySet() + ", customTrustStore=" + (tls != null) + "}";
  }

  /** Options of a {@link RemoteWriteSink}; each method states its default. Not thread-safe. */
  public static final class Builder {
    private final SinkOptions options = new SinkOptions();

    private Builder() {}

    /** Required. The remote-write URL (http or https), e.g. {@code http://127.0.0.1:8428/api/v1/write}. */
    public Builder endpoint(String remoteWriteUrl) {
      options.endpoint(remoteWriteUrl);
      return this;
    }

    /** One more receiver getting every batch, with its own retries and metrics. Default none. */
    public Builder additionalEndpoint(String remoteWriteUrl) {
      options.additionalEndpoint(remoteWriteUrl);
      return this;
    }

    /**
     * Samples per request: a batch is sent when it has this many. A longer series is split across
     * requests in timestamp order. Default 10 000.
     */
    public Builder maxBatchSamples(int n) {
      options.maxBatchSamples = SinkOptions.positive("maxBatchSamples", n);
      return this;
    }

    /** Uncompressed protobuf bytes per request. Default 4 MiB (4 194 304). */
    public Builder maxBatchBytes(int n) {
      options.maxBatchBytes = SinkOptions.positive("maxBatchBytes", n);
      return this;
    }

    /** A partial batch is sent once its first series waited this long. Default 1 s. */
    public Builder maxBufferTime(Duration d) {
      options.maxBufferTime = SinkOptions.positive("maxBufferTime", d);
      return this;
    }

    /**
     * Batches one endpoint may hold, waiting or being sent, before the writer blocks (backpressure). Each
     * endpoint has its own, so a slow one delays the others only once its buffer is full. Default 4.
     */
    public Builder maxBatchesInFlight(int n) {
      options.maxBatchesInFlight = SinkOptions.positive("maxBatchesInFlight", n);
      return this;
    }

    /** An extra header on every request (e.g. a tenant id); protocol headers cannot be replaced. */
    public Builder header(String name, String value) {
      options.header(name, value);
      return this;
    }

    /** HTTP basic authentication. Default none. Exclusive with {@link #bearerToken}. */
    public Builder basicAuth(String user, String password) {
      options.basicAuth(user, password);
      return this;
    }

    /** {@code Authorization: Bearer <token>}. Default none. Exclusive with {@link #basicAuth}. */
    public Builder bearerToken(String token) {
      options.bearerToken(token);
      return this;
    }

    /** The {@code User-Agent} header. Default {@code tracemetrics-remote-write-sink/<version>}. */
    public Builder userAgent(String userAgent) {
      options.userAgent = SinkOptions.nonBlank("userAgent", userAgent);
      return this;
    }

    /** TCP connect timeout. Default 10 s. */
    public Builder connectTimeout(Duration d) {
      options.connectTimeout = SinkOptions.positive("connectTimeout", d);
      return this;
    }

    /** Time for one request to be answered, then it counts as a retryable failure. Default 30 s. */
    public Builder requestTimeout(Duration d) {
      options.requestTimeout = SinkOptions.positive("requestTimeout", d);
      return this;
    }

    /** First retry delay, doubled per retry, with jitter. Default 100 ms. */
    public Builder initialBackoff(Duration d) {
      options.initialBackoff = SinkOptions.positive("initialBackoff", d);
      return this;
    }

    /** Upper bound of the retry delay (a longer Retry-After is still honoured). Default 10 s. */
    public Builder maxBackoff(Duration d) {
      options.maxBackoff = SinkOptions.positive("maxBackoff", d);
      return this;
    }

    /** How long one batch is retried before {@link #onRetriesExhausted} applies. Default 5 min. */
    public Builder maxRetryTime(Duration d) {
      options.maxRetryTime = SinkOptions.positive("maxRetryTime", d);
      return this;
    }

    /**
     * What to do with data the receiver refuses (400, 409, 413, 422). {@code DROP} splits the batch to
     * find the refused series and drops only those; {@code FAIL} fails the task. Misconfiguration answers
     * (401, 403, 404, 3xx...) always fail the writer, whatever this says. Default DROP.
     */
    public Builder onRejected(FailurePolicy policy) {
      options.onRejected = SinkOptions.nonNull("onRejected", policy);
      return this;
    }

    /**
     * Requests beyond the first that may be spent finding the refused series of one rejected batch (with
     * {@code onRejected(DROP)}); {@code k} refused series among {@code n} need at most
     * {@code 2·k·⌈log2 n⌉}. Once reached, the series of that batch not yet sent are dropped and counted
     * ({@code split_limit}). 0 drops a rejected batch whole. Default 100.
     */
    public Builder maxSplitRequests(int n) {
      options.maxSplitRequests = SinkOptions.nonNegative("maxSplitRequests", n);
      return this;
    }

    /** What to do when retries last longer than {@link #maxRetryTime}. Default FAIL. */
    public Builder onRetriesExhausted(FailurePolicy policy) {
      options.onRetriesExhausted = SinkOptions.nonNull("onRetriesExhausted", policy);
      return this;
    }

    /** Trust exactly the certificates in this store (PKCS12 or JKS) for https. Default JDK trust. */
    public Builder trustStore(String path, String password, String type) {
      options.trustStore(path, password, type);
      return this;
    }

    /** Checks the options together and returns the sink; logs the effective configuration. */
    public RemoteWriteSink build() {
      options.validate();
      RemoteWriteSink sink = new RemoteWriteSink(options);
      SinkOptions.LOG.info("Built {}", sink);
      return sink;
    }
  }
}
