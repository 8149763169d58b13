package io.tracemetrics.job;

import io.tracemetrics.job.otlp.Dimensions;
import io.tracemetrics.job.otlp.TracesDecoder;
import io.tracemetrics.job.red.LatencyBuckets;
import io.tracemetrics.job.red.MetricNames;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.util.ParameterTool;

/**
 * Every setting of the job: a name (the flag {@code --name value}), an environment variable
 * ({@code JOB_} + the name in upper case with dots and dashes as underscores), a default and a
 * description. A flag wins over the environment, which wins over the default.
 */
public final class JobOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
      ConfigOptions.key("kafka.bootstrap-servers").stringType().defaultValue("localhost:9092")
          .withDescription("Kafka brokers to read spans from.");
  public static final ConfigOption<String> KAFKA_TOPIC =
      ConfigOptions.key("kafka.topic").stringType().defaultValue("otlp_spans")
          .withDescription("Topic holding OTLP TracesData records (otlp_proto or otlp_json).");
  public static final ConfigOption<String> KAFKA_GROUP_ID =
      ConfigOptions.key("kafka.group-id").stringType().defaultValue("trace-metrics")
          .withDescription("Consumer group; offsets live in checkpoints and are committed to it too.");
  public static final ConfigOption<String> REGION =
      ConfigOptions.key("region").stringType().defaultValue("")
          .withDescription("Region label for spans whose record has no region header; empty: the"
              + " resource's cloud.region, if any.");
  public static final ConfigOption<List<String>> KAFKA_SOURCES =
      ConfigOptions.key("kafka.sources").stringType().asList().defaultValues()
          .withDescription("More sources, each 'region=bootstrap-servers/topic' (';'-separated): a whole"
              + " Kafka cluster or topic per region, read together; the region names its spans.");
  public static final ConfigOption<String> DEAD_LETTER_TOPIC =
      ConfigOptions.key("kafka.dead-letter-topic").stringType().defaultValue("")
          .withDescription("Records that are not OTLP are copied here (same Kafka cluster as their source),"
              + " with headers naming their origin and the reason; empty: they are only counted.");
  public static final ConfigOption<String> REMOTE_WRITE_URL =
      ConfigOptions.key("remote-write.url").stringType().defaultValue("http://localhost:8428/api/v1/write")
          .withDescription("Prometheus Remote-Write endpoint(s) the metrics are written to, comma-separated;"
              + " each gets its own retries.");
  public static final ConfigOption<String> REMOTE_WRITE_BEARER_TOKEN =
      ConfigOptions.key("remote-write.bearer-token").stringType().defaultValue("")
          .withDescription("Sent as 'Authorization: Bearer' to every endpoint (vmauth, a proxy); never logged.");
  public static final ConfigOption<String> REMOTE_WRITE_USERNAME =
      ConfigOptions.key("remote-write.username").stringType().defaultValue("")
          .withDescription("Basic-auth user for every endpoint; needs remote-write.password.");
  public static final ConfigOption<String> REMOTE_WRITE_PASSWORD =
      ConfigOptions.key("remote-write.password").stringType().defaultValue("")
          .withDescription("Basic-auth password; never logged.");
  public static final ConfigOption<Duration> REMOTE_WRITE_MAX_BUFFER_TIME =
      ConfigOptions.key("remote-write.max-buffer-time").durationType().defaultValue(Duration.ofMillis(200))
          .withDescription("How long the sink may hold a partial batch: a window's samples leave as one"
              + " burst, so a short wait batches them without delaying them.");
  public static final ConfigOption<Duration> WINDOW =
      ConfigOptions.key("window.size").durationType().defaultValue(Duration.ofSeconds(10))
          .withDescription("Event-time window: one sample per live series per window.");
  public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
      ConfigOptions.key("watermark.out-of-orderness").durationType().defaultValue(Duration.ofSeconds(2))
          .withDescription("How far behind the newest span end time a window is held open.");
  public static final ConfigOption<Duration> IDLE_AFTER =
      ConfigOptions.key("watermark.idle-after").durationType().defaultValue(Duration.ofSeconds(2))
          .withDescription("After this long without spans a partition's event clock follows the wall"
              + " clock, so the last window closes when traffic stops.");
  public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
      ConfigOptions.key("watermark.max-future-skew").durationType().defaultValue(Duration.ofMinutes(1))
          .withDescription("Span end times further ahead of the wall clock do not move the watermark.");
  public static final ConfigOption<Duration> SERIES_EXPIRY =
      ConfigOptions.key("series.expiry").durationType().defaultValue(Duration.ofMinutes(15))
          .withDescription("A series without spans for this long (event time) stops and its state is"
              + " cleared.");
  public static final ConfigOption<Duration> BACKFILL_HORIZON =
      ConfigOptions.key("series.backfill-horizon").durationType().defaultValue(Duration.ofMinutes(5))
          .withDescription("When the watermark jumps (a first start on a backlog, a span years old among"
              + " the first records), counts more than this far behind it go to the next window written"
              + " instead of windows of their own: catch-up work is bounded by windows elapsed, not span age.");
  /** {@link #METRICS_PRESET}'s value for the OpenTelemetry Collector spanmetrics connector's defaults. */
  public static final String PRESET_COLLECTOR_SPANMETRICS = "collector-spanmetrics";
  public static final ConfigOption<String> METRICS_PRESET =
      ConfigOptions.key("metrics.preset").stringType().defaultValue("")
          .withDescription("'collector-spanmetrics': the Collector spanmetrics connector's names and labels"
              + " (traces_span_metrics_calls_total, traces_span_metrics_duration_milliseconds_*, plus job and"
              + " otel_scope_name), for its dashboards, alerts and Jaeger; it sets the two options below unless"
              + " they are given. Empty: the project's names.");
  public static final ConfigOption<String> NAMESPACE =
      ConfigOptions.key("metrics.namespace").stringType().defaultValue(MetricNames.DEFAULT_NAMESPACE)
          .withDescription("Metric name prefix; dots become underscores.");
  public static final ConfigOption<String> HISTOGRAM_NAME =
      ConfigOptions.key("metrics.histogram-name").stringType().defaultValue(MetricNames.LATENCY)
          .withDescription("'latency', or 'duration_milliseconds' for the Collector's names.");
  public static final ConfigOption<List<Double>> HISTOGRAM_BOUNDS =
      ConfigOptions.key("metrics.histogram-bounds-ms").doubleType().asList()
          .defaultValues(LatencyBuckets.DEFAULT_BOUNDS_MS.toArray(new Double[0]))
          .withDescription("Histogram bucket bounds in milliseconds, ';'-separated (+Inf is implied).");
  public static final ConfigOption<List<String>> DIMENSIONS =
      ConfigOptions.key("metrics.dimensions").stringType().asList().defaultValues()
          .withDescription("Extra labels, ';'-separated: 'attribute' (left out when absent) or"
              + " 'attribute=default'; span attribute first, then resource attribute; dots become underscores.");
  public static final ConfigOption<List<String>> EXCLUDE_DIMENSIONS =
      ConfigOptions.key("metrics.exclude-dimensions").stringType().asList().defaultValues()
          .withDescription("Built-in labels to leave out, merging their series: span_kind, status_code.");
  public static final ConfigOption<Integer> MAX_SERIES_PER_SERVICE =
      ConfigOptions.key("series.max-per-service").intType().defaultValue(10_000)
          .withDescription("Series one service may have; spans of further series count in its"
              + " otel_metric_overflow=\"true\" series. 0: no limit (and no extra keyBy).");
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOptions.key("checkpoint.interval").durationType().defaultValue(Duration.ofSeconds(10))
          .withDescription("Exactly-once checkpoint interval. A closed window is written once a checkpoint"
              + " taken after it closed completes, so its samples appear up to this much later.");

  /** Every option, in the order the README lists them. */
  public static final List<ConfigOption<?>> ALL =
      List.of(KAFKA_BOOTSTRAP_SERVERS, KAFKA_TOPIC, KAFKA_GROUP_ID, REGION, KAFKA_SOURCES, DEAD_LETTER_TOPIC,
          REMOTE_WRITE_URL, REMOTE_WRITE_BEARER_TOKEN, REMOTE_WRITE_USERNAME, REMOTE_WRITE_PASSWORD,
          REMOTE_WRITE_MAX_BUFFER_TIME, WINDOW, OUT_OF_ORDERNESS, IDLE_AFTER, MAX_FUTURE_SKEW, SERIES_EXPIRY,
          BACKFILL_HORIZON, MAX_SERIES_PER_SERVICE, METRICS_PRESET, NAMESPACE, HISTOGRAM_NAME, HISTOGRAM_BOUNDS,
          DIMENSIONS, EXCLUDE_DIMENSIONS, CHECKPOINT_INTERVAL);

  private final Configuration config;

  private JobOptions(Configuration config) {
    this.config = config;
  }

  /** {@code --name=value} as {@code --name value}: the gateway's and the job's flags take both forms. */
  private static String[] splitEquals(String[] args) {
    List<String> split = new ArrayList<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 2) {
        split.add(arg.substring(0, equals));
        split.add(arg.substring(equals + 1));
      } else {
        split.add(arg);
      }
    }
    return split.toArray(String[]::new);
  }

  /**
   * Options from flags and environment variables, flags first. Unknown flags are an error, except
   * {@code kafka.client.*}: Kafka client properties ({@link KafkaClientProperties}).
   */
  public static JobOptions fromArgs(String[] args, Map<String, String> environment) {
    Map<String, String> values = new HashMap<>(KafkaClientProperties.fromEnvironment(environment));
    for (ConfigOption<?> option : ALL) {
      String fromEnv = environment.get(envVar(option));
      if (fromEnv != null) {
        values.put(option.key(), fromEnv);
      }
    }
    Map<String, String> flags = ParameterTool.fromArgs(splitEquals(args)).toMap();
    List<String> unknown = new ArrayList<>();
    for (String flag : flags.keySet()) {
      if (ALL.stream().noneMatch(option -> option.key().equals(flag)) && !KafkaClientProperties.isFlag(flag)) {
        unknown.add(flag);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown option(s) " + unknown + "; known: "
          + ALL.stream().map(ConfigOption::key).toList());
    }
    values.putAll(flags);
    return of(Configuration.fromMap(values));
  }

  /** Options from a Flink configuration; what it does not set keeps its default. */
  public static JobOptions of(Configuration config) {
    JobOptions options = new JobOptions(new Configuration(config));
    options.validate();
    return options;
  }

  /** The environment variable of an option. */
  public static String envVar(ConfigOption<?> option) {
    return "JOB_" + option.key().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** An option's description as plain text. */
  public static String description(ConfigOption<?> option) {
    StringBuilder text = new StringBuilder();
    for (BlockElement block : option.description().getBlocks()) {
      if (block instanceof TextElement element) {
        text.append(element.getFormat());
      }
    }
    return text.toString();
  }

  /** The value of an option. */
  public <T> T get(ConfigOption<T> option) {
    return config.get(option);
  }

  /** A copy with one option changed. */
  public <T> JobOptions with(ConfigOption<T> option, T value) {
    Configuration copy = new Configuration(config);
    copy.set(option, value);
    return of(copy);
  }

  /** Kafka client properties for every consumer and producer of the job: SASL, TLS, tuning. */
  public Map<String, String> kafkaClientProperties() {
    return KafkaClientProperties.of(config);
  }

  /** The remote-write endpoints, at least one. */
  public List<String> remoteWriteUrls() {
    List<String> urls = new ArrayList<>();
    for (String url : get(REMOTE_WRITE_URL).split(",")) {
      if (!url.isBlank()) {
        urls.add(url.strip());
      }
    }
    return urls;
  }

  /** One Kafka source: where it reads and the region its spans get (empty: none). */
  public record Source(String region, String bootstrapServers, String topic) implements Serializable {}

  /** The sources to read: the {@code kafka.*} one, or those of {@code kafka.sources} when given. */
  public List<Source> sources() {
    List<String> specs = get(KAFKA_SOURCES);
    if (specs.isEmpty()) {
      return List.of(new Source(get(REGION), get(KAFKA_BOOTSTRAP_SERVERS), get(KAFKA_TOPIC)));
    }
    List<Source> sources = new ArrayList<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      int slash = spec.lastIndexOf('/');
      if (eq <= 0 || slash <= eq + 1 || slash == spec.length() - 1) {
        throw new IllegalArgumentException(KAFKA_SOURCES.key() + ": '" + spec
            + "' is not region=bootstrap-servers/topic");
      }
      String region = spec.substring(0, eq).strip();
      if (sources.stream().anyMatch(source -> source.region().equals(region))) {
        throw new IllegalArgumentException(KAFKA_SOURCES.key() + ": region '" + region + "' appears twice");
      }
      sources.add(new Source(region, spec.substring(eq + 1, slash).strip(), spec.substring(slash + 1).strip()));
    }
    return sources;
  }

  Dimensions dimensions() {
    return Dimensions.of(get(DIMENSIONS));
  }

  TracesDecoder decoder() {
    List<String> excluded = get(EXCLUDE_DIMENSIONS);
    return new TracesDecoder(dimensions(), excluded.contains("span_kind"), excluded.contains("status_code"));
  }

  LatencyBuckets latencyBuckets() {
    return new LatencyBuckets(get(HISTOGRAM_BOUNDS));
  }

  MetricNames metricNames() {
    if (collectorPreset()) {
      return new MetricNames(config.contains(NAMESPACE) ? get(NAMESPACE) : MetricNames.COLLECTOR_NAMESPACE,
          histogramName(), true);
    }
    return new MetricNames(get(NAMESPACE), histogramName());
  }

  private boolean collectorPreset() {
    return PRESET_COLLECTOR_SPANMETRICS.equals(get(METRICS_PRESET));
  }

  private String histogramName() {
    return collectorPreset() && !config.contains(HISTOGRAM_NAME) ? MetricNames.DURATION_MILLISECONDS
        : get(HISTOGRAM_NAME);
  }

  private void validate() {
    sources();
    kafkaClientProperties();
    if (!get(REMOTE_WRITE_BEARER_TOKEN).isEmpty() && !get(REMOTE_WRITE_USERNAME).isEmpty()) {
      throw new IllegalArgumentException("set either " + REMOTE_WRITE_BEARER_TOKEN.key() + " or "
          + REMOTE_WRITE_USERNAME.key() + ", not both");
    }
    if (get(REMOTE_WRITE_USERNAME).isEmpty() != get(REMOTE_WRITE_PASSWORD).isEmpty()) {
      throw new IllegalArgumentException(REMOTE_WRITE_USERNAME.key() + " and " + REMOTE_WRITE_PASSWORD.key()
          + " go together");
    }
    dimensions();
    for (String excluded : get(EXCLUDE_DIMENSIONS)) {
      if (!excluded.equals("span_kind") && !excluded.equals("status_code")) {
        throw new IllegalArgumentException(EXCLUDE_DIMENSIONS.key() + " takes span_kind and status_code, not '"
            + excluded + "'");
      }
    }
    if (get(MAX_SERIES_PER_SERVICE) < 0) {
      throw new IllegalArgumentException(MAX_SERIES_PER_SERVICE.key() + " must be 0 (no limit) or more");
    }
    if (remoteWriteUrls().isEmpty()) {
      throw new IllegalArgumentException(REMOTE_WRITE_URL.key() + " must name at least one endpoint");
    }
    latencyBuckets();
    String preset = get(METRICS_PRESET);
    if (!preset.isEmpty() && !preset.equals(PRESET_COLLECTOR_SPANMETRICS)) {
      throw new IllegalArgumentException(METRICS_PRESET.key() + " must be empty or '"
          + PRESET_COLLECTOR_SPANMETRICS + "', not '" + preset + "'");
    }
    if (collectorPreset()) {
      for (String dimension : get(DIMENSIONS)) {
        String label = dimension.split("=", 2)[0].replace('.', '_');
        if (label.equals("job") || label.equals("otel_scope_name")) {
          throw new IllegalArgumentException(DIMENSIONS.key() + ": '" + label + "' would overwrite a label of "
              + METRICS_PRESET.key() + " " + PRESET_COLLECTOR_SPANMETRICS);
        }
      }
    }
    metricNames();
    String histogram = histogramName();
    if (!histogram.equals(MetricNames.LATENCY) && !histogram.equals(MetricNames.DURATION_MILLISECONDS)) {
      throw new IllegalArgumentException(HISTOGRAM_NAME.key() + " must be '" + MetricNames.LATENCY
          + "' or '" + MetricNames.DURATION_MILLISECONDS + "', not '" + histogram + "'");
    }
    for (ConfigOption<Duration> positive : List.of(WINDOW, CHECKPOINT_INTERVAL, SERIES_EXPIRY)) {
      if (get(positive).isNegative() || get(positive).isZero()) {
        throw new IllegalArgumentException(positive.key() + " must be positive: " + get(positive));
      }
    }
    if (get(SERIES_EXPIRY).compareTo(get(WINDOW)) < 0) {
      throw new IllegalArgumentException(SERIES_EXPIRY.key() + " must be at least " + WINDOW.key());
    }
  }

  /** Every option and client property, secrets masked: for the start-up log. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (ConfigOption<?> option : ALL) {
      Object value = get(option);
      boolean secret = option == REMOTE_WRITE_BEARER_TOKEN || option == REMOTE_WRITE_PASSWORD;
      out.append("\n  ").append(option.key()).append(" = ").append(secret && !"".equals(value) ? "****" : value);
    }
    kafkaClientProperties().forEach((property, value) -> out.append("\n  ").append(KafkaClientProperties.FLAG_PREFIX)
        .append(property).append(" = ").append(KafkaClientProperties.isSecret(property) ? "****" : value));
    return out.toString();
  }
}
