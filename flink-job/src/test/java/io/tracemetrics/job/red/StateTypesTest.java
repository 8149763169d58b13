package io.tracemetrics.job.red;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.job.otlp.SpanEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What travels between operators or sits in state is serialized by Flink's POJO serializer, not Kryo. */
class StateTypesTest {
  @ParameterizedTest
  @ValueSource(classes = {SpanEvent.class, SeriesKey.class, PendingKey.class, ServiceSpan.class})
  void serializedAsPojo(Class<?> type) {
    assertThat(TypeInformation.of(type)).isInstanceOf(PojoTypeInfo.class);
  }
}
