package io.tracemetrics.sink;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Tells Flink's type extraction to use {@link TimeSeriesTypeInfo}; public for reflection. */
public final class TimeSeriesTypeInfoFactory extends TypeInfoFactory<TimeSeries> {
  @Override
  public TypeInformation<TimeSeries> createTypeInfo(Type t,
      Map<String, TypeInformation<?>> genericParameters) {
    return TimeSeriesTypeInfo.INSTANCE;
  }
}
