package io.tracemetrics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobOptionsTest {
  @Test
  void defaultsAreTheContract() {
    JobOptions options = JobOptions.fromArgs(new String[0], Map.of());
    assertThat(options.get(JobOptions.KAFKA_TOPIC)).isEqualTo("otlp_spans");
    assertThat(options.get(JobOptions.WINDOW)).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.get(JobOptions.OUT_OF_ORDERNESS)).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.get(JobOptions.SERIES_EXPIRY)).isEqualTo(Duration.ofMinutes(15));
    assertThat(options.get(JobOptions.NAMESPACE)).isEqualTo("llm_traces.span_metrics");
    assertThat(options.get(JobOptions.HISTOGRAM_BOUNDS)).hasSize(16).startsWith(2d, 4d).endsWith(15000d);
  }

  @Test
  void flagsWinOverEnvironmentWhichWinsOverDefaults() {
    JobOptions options =
        JobOptions.fromArgs(
            new String[] {"--window.size", "30 s", "--metrics.histogram-bounds-ms", "1;5;25"},
            Map.of("JOB_WINDOW_SIZE", "1 min", "JOB_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "UNRELATED", "x"));
    assertThat(options.get(JobOptions.WINDOW)).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.get(JobOptions.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("kafka:9092");
    assertThat(options.get(JobOptions.HISTOGRAM_BOUNDS)).containsExactly(1d, 5d, 25d);
  }

  @Test
  void severalRemoteWriteEndpointsAreCommaSeparated() {
    JobOptions options = JobOptions.fromArgs(
        new String[] {"--remote-write.url", "http://vm:8428/api/v1/write, http://prom:9090/api/v1/write"}, Map.of());
    assertThat(options.remoteWriteUrls())
        .containsExactly("http://vm:8428/api/v1/write", "http://prom:9090/api/v1/write");
    assertThatThrownBy(() -> JobOptions.fromArgs(new String[] {"--remote-write.url", " , "}, Map.of()))
        .hasMessageContaining("at least one endpoint");
  }

  @Test
  void severalSourcesEachNameTheirRegion() {
    JobOptions options = JobOptions.fromArgs(
        new String[] {"--kafka.sources", "eu=kafka-eu:9092,kafka-eu2:9092/otlp_spans;us=kafka-us:9092/spans_us"},
        Map.of());
    assertThat(options.sources()).containsExactly(
        new JobOptions.Source("eu", "kafka-eu:9092,kafka-eu2:9092", "otlp_spans"),
        new JobOptions.Source("us", "kafka-us:9092", "spans_us"));
    assertThat(JobOptions.fromArgs(new String[0], Map.of()).sources())
        .containsExactly(new JobOptions.Source("", "localhost:9092", "otlp_spans"));
    assertThatThrownBy(() -> JobOptions.fromArgs(new String[] {"--kafka.sources", "eu=kafka:9092"}, Map.of()))
        .hasMessageContaining("region=bootstrap-servers/topic");
    assertThatThrownBy(() -> JobOptions.fromArgs(new String[] {"--kafka.sources", "eu=k:1/t;eu=k:2/t"}, Map.of()))
        .hasMessageContaining("appears twice");
  }

  @Test
  void mistakesAreClearErrors() {
    assertThatThrownBy(() -> JobOptions.fromArgs(new String[] {"--windw.size", "1s"}, Map.of()))
        .hasMessageContaining("unknown option(s) [windw.size]");
    assertThatThrownBy(() -> JobOptions.fromArgs(new String[] {"--metrics.histogram-name", "dur"}, Map.of()))
        .hasMessageContaining("metrics.histogram-name");
    assertThatThrownBy(() -> JobOptions.fromArgs(new String[] {"--metrics.histogram-bounds-ms", "5;1"}, Map.of()))
        .hasMessageContaining("strictly increasing");
    assertThatThrownBy(() -> JobOptions.fromArgs(
            new String[] {"--window.size", "1 min", "--series.expiry", "10 s"}, Map.of()))
        .hasMessageContaining("series.expiry");
    assertThatThrownBy(() -> JobOptions.fromArgs(new String[] {"--metrics.exclude-dimensions", "span_name"}, Map.of()))
        .hasMessageContaining("span_kind and status_code");
    assertThatThrownBy(() -> JobOptions.fromArgs(new String[] {"--metrics.dimensions", "region"}, Map.of()))
        .hasMessageContaining("would overwrite");
  }

  @Test
  void flagsTakeTheirValueAfterASpaceOrAnEqualsSign() {
    JobOptions options = JobOptions.fromArgs(new String[] {"--window.size=1 min", "--series.expiry", "20 min",
        "--metrics.dimensions=tier;http.route=none", "--kafka.client.sasl.jaas.config=a=b"}, Map.of());
    assertThat(options.get(JobOptions.WINDOW)).isEqualTo(Duration.ofMinutes(1));
    assertThat(options.get(JobOptions.SERIES_EXPIRY)).isEqualTo(Duration.ofMinutes(20));
    assertThat(options.get(JobOptions.DIMENSIONS)).containsExactly("tier", "http.route=none");
    assertThat(options.kafkaClientProperties()).containsEntry("sasl.jaas.config", "a=b");
  }

  @Test
  void everyOptionHasAnEnvironmentVariableAndADescription() {
    assertThat(JobOptions.envVar(JobOptions.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("JOB_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(JobOptions.ALL).allSatisfy(option -> assertThat(JobOptions.description(option)).isNotBlank());
    assertThat(JobOptions.ALL).extracting(o -> o.key()).doesNotHaveDuplicates();
    assertThat(List.copyOf(JobOptions.ALL)).hasSize(25);
  }

  @Test
  void kafkaClientPropertiesPassThroughFromFlagsAndEnvironment() {
    JobOptions options = JobOptions.fromArgs(
        new String[] {"--kafka.client.sasl.mechanism", "SCRAM-SHA-512"},
        Map.of("JOB_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
            "JOB_KAFKA_CLIENT_SASL_MECHANISM", "PLAIN",
            "JOB_KAFKA_CLIENT_SASL_JAAS_CONFIG", "ScramLoginModule required password=\"s3cret\";"));
    assertThat(options.kafkaClientProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", "ScramLoginModule required password=\"s3cret\";"));
    assertThat(RedMetricsJob.kafkaSource(options)).isNotNull();
    assertThat(options.toString()).contains("kafka.client.security.protocol = SASL_SSL")
        .contains("kafka.client.sasl.jaas.config = ****").doesNotContain("s3cret");
    assertThatThrownBy(() -> JobOptions.fromArgs(new String[] {"--kafka.client.group.id", "x"}, Map.of()))
        .hasMessageContaining("kafka.group-id");
  }

  @Test
  void remoteWriteCredentialsAreCheckedAndNeverPrinted() {
    JobOptions token = JobOptions.fromArgs(new String[0], Map.of("JOB_REMOTE_WRITE_BEARER_TOKEN", "t0ken"));
    assertThat(token.toString()).contains("remote-write.bearer-token = ****").doesNotContain("t0ken");
    assertThat(RedMetricsJob.remoteWriteSink(token).toString()).contains("Authorization").doesNotContain("t0ken");
    JobOptions basic = JobOptions.fromArgs(
        new String[] {"--remote-write.username", "job", "--remote-write.password", "pw-123"}, Map.of());
    assertThat(basic.toString()).contains("remote-write.username = job").doesNotContain("pw-123");
    assertThat(RedMetricsJob.remoteWriteSink(basic).toString()).contains("Authorization");
    assertThat(RedMetricsJob.remoteWriteSink(JobOptions.fromArgs(new String[0], Map.of())).toString())
        .doesNotContain("Authorization");
    assertThatThrownBy(() -> JobOptions.fromArgs(new String[] {"--remote-write.username", "job"}, Map.of()))
        .hasMessageContaining("go together");
    assertThatThrownBy(() -> JobOptions.fromArgs(
        new String[] {"--remote-write.username", "job", "--remote-write.password", "p", "--remote-write.bearer-token", "t"},
        Map.of()))
        .hasMessageContaining("not both");
  }

  @Test
  void theCollectorPresetTakesTheConnectorsNamesUnlessNamesAreGiven() {
    var names = JobOptions.fromArgs(new String[] {"--metrics.preset", "collector-spanmetrics"}, Map.of()).metricNames();
    assertThat(names.calls()).isEqualTo("traces_span_metrics_calls_total");
    assertThat(names.bucket()).isEqualTo("traces_span_metrics_duration_milliseconds_bucket");
    assertThat(names.collectorLabels()).isTrue();
    var given = JobOptions.fromArgs(new String[0],
        Map.of("JOB_METRICS_PRESET", "collector-spanmetrics", "JOB_METRICS_NAMESPACE", "spans",
            "JOB_METRICS_HISTOGRAM_NAME", "latency")).metricNames();
    assertThat(given.calls()).isEqualTo("spans_calls_total");
    assertThat(given.bucket()).isEqualTo("spans_latency_bucket");
    var plain = JobOptions.fromArgs(new String[0], Map.of()).metricNames();
    assertThat(plain.calls()).isEqualTo("llm_traces_span_metrics_calls_total");
    assertThat(plain.collectorLabels()).isFalse();
    assertThatThrownBy(() -> JobOptions.fromArgs(new String[] {"--metrics.preset", "collector"}, Map.of()))
        .hasMessageContaining("metrics.preset");
    assertThatThrownBy(() -> JobOptions.fromArgs(
            new String[] {"--metrics.preset", "collector-spanmetrics", "--metrics.dimensions", "job"}, Map.of()))
        .hasMessageContaining("would overwrite");
  }
}
