package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.otlp.SpanEvent;
import io.tracemetrics.job.types.SerializerTypeInfo;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What travels between operators or sits in state is serialized without Kryo. */
class StateTypesTest {
  @ParameterizedTest
  @ValueSource(classes = {SeriesKey.class, ServiceSpan.class})
  void stateKeysAreSerializedAsPojos(Class<?> type) {
    assertThat(TypeInformation.of(type)).isInstanceOf(PojoTypeInfo.class);
  }

  @ParameterizedTest
  @ValueSource(classes = {SpanEvent.class, WindowCounts.class})
  void recordsBetweenOperatorsHaveTheirOwnSerializer(Class<?> type) {
    assertThat(TypeInformation.of(type)).isInstanceOf(SerializerTypeInfo.class);
  }

  @Test
  void aSpanSurvivesTheRoundTrip() throws Exception {
    SpanEvent span = new SpanEvent("checkout", "GET /cart", 2, 1, 1_700_000_000_123L, 42, "eu", new String[] {"gold", ""});
    assertThat(roundTrip(span, SpanEvent.class)).isEqualTo(span);
    SpanEvent plain = new SpanEvent("s", "", 0, 0, 1, 0, "");
    assertThat(roundTrip(plain, SpanEvent.class).dimensions()).isSameAs(SpanEvent.NO_DIMENSIONS);
  }

  @Test
  void windowCountsSurviveTheRoundTrip() throws Exception {
    SeriesKey series = new SeriesKey(2, 2, "us", new String[] {"x"}, false);
    WindowCounts counts = new WindowCounts("svc", "op", series, 20_000, new long[] {3, 7_000_000, 1, 2, 0});
    assertThat(roundTrip(counts, WindowCounts.class)).isEqualTo(counts);
    WindowCounts overflow = counts.asOverflow();
    WindowCounts back = roundTrip(overflow, WindowCounts.class);
    assertThat(back).isEqualTo(overflow);
    assertThat(back.series().overflow()).isTrue();
  }

  private static <T> T roundTrip(T value, Class<T> type) throws Exception {
    TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(value, out);
    T back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(serializer.copy(value)).as("immutable: a copy is the value itself").isSameAs(value);
    return back;
  }
}
