package io.tracemetrics.sink;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information of {@link TimeSeries}: an atomic, non-key type with its own serializer. */
final class TimeSeriesTypeInfo extends TypeInformation<TimeSeries> {
  private static final long serialVersionUID = 1L;

  static final TimeSeriesTypeInfo INSTANCE = new TimeSeriesTypeInfo();

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<TimeSeries> getTypeClass() {
    return TimeSeries.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<TimeSeries> createSerializer(SerializerConfig config) {
    return TimeSeriesSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "TimeSeries";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof TimeSeriesTypeInfo;
  }

  @Override
  public int hashCode() {
    return TimeSeriesTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof TimeSeriesTypeInfo;
  }
}
