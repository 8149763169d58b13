package io.tracemetrics.job.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/** The last line of defence: whatever one record does, it is counted and the job goes on. */
class SpanRecordDeserializerTest {
  private final Map<String, Counter> counters = new HashMap<>();
  private final List<SpanEvent> emitted = new ArrayList<>();
  private final Collector<SpanEvent> out = new Collector<>() {
    @Override
    public void collect(SpanEvent span) {
      emitted.add(span);
    }

    @Override
    public void close() {}
  };

  private SpanRecordDeserializer opened(SpanRecordDeserializer deserializer) {
    deserializer.open(new DeserializationSchema.InitializationContext() {
      @Override
      public MetricGroup getMetricGroup() {
        return new Recording("");
      }

      @Override
      public UserCodeClassLoader getUserCodeClassLoader() {
        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
      }
    });
    return deserializer;
  }

  private long count(String reason) {
    return counters.get("spans.rejected." + reason + ".count").getCount();
  }

  private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
    return new ConsumerRecord<>("otlp_spans", 0, 42, null, value);
  }

  @Test
  void aStackOverflowInTheDecoderIsCountedAndEmitsNoSpanOfTheRecord() {
    SpanEvent span = new SpanEvent("s", "n", 1, 0, 1L, 1L, "");
    SpanRecordDeserializer deserializer = opened(new SpanRecordDeserializer(null, (value, region, sink) -> {
      sink.accept(span);
      throw new StackOverflowError();
    }, "", "", Map.of()));

    deserializer.deserialize(record(new byte[] {1}), out);

    assertThat(emitted).isEmpty();
    assertThat(count("decoder_failure")).isEqualTo(1);
    assertThat(counters.get("spans.in").getCount()).isZero();
  }

  @Test
  void aRuntimeExceptionInTheDecoderIsCountedAndTheNextRecordIsRead() {
    SpanRecordDeserializer failing = opened(new SpanRecordDeserializer(null, (value, region, sink) -> {
      if (value[0] == 0) {
        throw new IllegalStateException("a bug");
      }
      TracesDecoder.plain().decode(value, region, sink);
    }, "", "", Map.of()));

    failing.deserialize(record(new byte[] {0}), out);
    failing.deserialize(record(Records.everyField().toByteArray()), out);

    assertThat(count("decoder_failure")).isEqualTo(1);
    assertThat(emitted).hasSize(3);
  }

  @Test
  void outOfMemoryStaysFatal() {
    SpanRecordDeserializer deserializer = opened(new SpanRecordDeserializer(null, (value, region, sink) -> {
      throw new OutOfMemoryError("test");
    }, "", "", Map.of()));

    assertThatThrownBy(() -> deserializer.deserialize(record(new byte[] {1}), out)).isInstanceOf(OutOfMemoryError.class);
  }

  @Test
  void deeplyNestedGroupsAreCountedNotFatal() {
    SpanRecordDeserializer deserializer = opened(new SpanRecordDeserializer(null, TracesDecoder.plain()));

    deserializer.deserialize(record(Records.nestedGroups(300_000)), out);
    deserializer.deserialize(record(null), out);

    assertThat(count("too_deep")).isEqualTo(1);
    assertThat(count("tombstone")).isEqualTo(1);
  }

  @Test
  void regionHeaderNamesTheSpansAndABadOneRefusesTheRecord() {
    SpanRecordDeserializer deserializer = opened(new SpanRecordDeserializer("source", TracesDecoder.plain()));
    byte[] value = Records.everyField().toByteArray();
    List<byte[]> headers = List.of("eu-west-1".getBytes(StandardCharsets.UTF_8), new byte[0],
        "x".repeat(SpanRecordDeserializer.MAX_REGION_BYTES + 1).getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) 0xC3, '('});
    for (byte[] header : headers) {
      ConsumerRecord<byte[], byte[]> record = record(value);
      record.headers().add(new RecordHeader("region", header));
      deserializer.deserialize(record, out);
    }

    assertThat(emitted).extracting(SpanEvent::region).containsExactly(
        "eu-west-1", "eu-west-1", "eu-west-1", "source", "source", "source");
    assertThat(count("invalid_region_header")).isEqualTo(2);
  }

  @Test
  void spanRejectionsAreCountedPerSpanAndTheRestOfTheRecordPasses() {
    SpanRecordDeserializer deserializer = opened(new SpanRecordDeserializer(null, TracesDecoder.plain()));
    var traces = Records.everyField().toBuilder();
    traces.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0).setStartTimeUnixNano(0);

    deserializer.deserialize(record(traces.build().toByteArray()), out);

    assertThat(emitted).hasSize(2);
    assertThat(count("invalid_times")).isEqualTo(1);
  }

  /** Keeps every counter by its dotted path. */
  private final class Recording extends UnregisteredMetricsGroup {
    private final String path;

    Recording(String path) {
      this.path = path;
    }

    @Override
    public MetricGroup addGroup(String name) {
      return new Recording(path + name + ".");
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
      return new Recording(path + key + "." + value + ".");
    }

    @Override
    public Counter counter(String name) {
      return counters.computeIfAbsent(path + name, k -> new SimpleCounter());
    }
  }
}
