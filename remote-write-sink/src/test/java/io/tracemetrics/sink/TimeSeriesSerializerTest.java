package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class TimeSeriesSerializerTest {
  private static final TimeSeries SERIES = TimeSeries.builder("calls_total")
      .label("service_name", "api \"v2\"").label("span_name", "日本語\n")
      .sample(Double.longBitsToDouble(0x7ff0000000000002L), 1_000)
      .sample(Double.NEGATIVE_INFINITY, 2_000).sample(-0.0, 3_000).build();

  @Test
  void flinkUsesTheDedicatedSerializerNotKryo() {
    TypeInformation<TimeSeries> type = TypeExtractor.getForClass(TimeSeries.class);

    assertThat(type).isInstanceOf(TimeSeriesTypeInfo.class).isNotInstanceOf(GenericTypeInfo.class);
    assertThat(type.createSerializer(new SerializerConfigImpl()))
        .isInstanceOf(TimeSeriesSerializer.class);
  }

  @Test
  void roundTripKeepsEveryFieldAndNanPayload() throws Exception {
    TimeSeries copy = roundTrip(TimeSeriesSerializer.INSTANCE, SERIES);

    assertThat(copy).isEqualTo(SERIES);
    assertThat(Double.doubleToRawLongBits(copy.sampleValue(0))).isEqualTo(0x7ff0000000000002L);
    assertThat(Double.doubleToRawLongBits(copy.sampleValue(2)))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void streamCopyProducesTheSameBytes() throws Exception {
    DataOutputSerializer original = new DataOutputSerializer(64);
    TimeSeriesSerializer.INSTANCE.serialize(SERIES, original);
    DataOutputSerializer copied = new DataOutputSerializer(64);

    TimeSeriesSerializer.INSTANCE.copy(new DataInputDeserializer(original.getCopyOfBuffer()), copied);

    assertThat(copied.getCopyOfBuffer()).isEqualTo(original.getCopyOfBuffer());
  }

  @Test
  void snapshotRestoresAWorkingSerializer() throws Exception {
    TypeSerializerSnapshot<TimeSeries> snapshot = TimeSeriesSerializer.INSTANCE.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);

    TypeSerializerSnapshot<TimeSeries> restored = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

    assertThat(restored.resolveSchemaCompatibility(snapshot).isCompatibleAsIs()).isTrue();
    assertThat(roundTrip(restored.restoreSerializer(), SERIES)).isEqualTo(SERIES);
  }

  private static TimeSeries roundTrip(TypeSerializer<TimeSeries> serializer, TimeSeries series)
      throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(series, out);
    return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }
}
