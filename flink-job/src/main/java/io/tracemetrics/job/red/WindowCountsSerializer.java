package io.tracemetrics.job.red;

import io.tracemetrics.job.otlp.SpanEventSerializer;
import io.tracemetrics.job.types.ImmutableSerializer;
import io.tracemetrics.job.types.SerializerTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer of {@link WindowCounts}. Public only because Flink instantiates the factory and the
 * snapshot reflectively.
 */
public final class WindowCountsSerializer extends ImmutableSerializer<WindowCounts> {
  private static final long serialVersionUID = 1L;

  static final WindowCountsSerializer INSTANCE = new WindowCountsSerializer();
  /** The type information Flink uses for window counts. */
  public static final TypeInformation<WindowCounts> TYPE =
      new SerializerTypeInfo<>(WindowCounts.class, INSTANCE);

  @Override
  public void serialize(WindowCounts counts, DataOutputView out) throws IOException {
    StringValue.writeString(counts.service(), out);
    StringValue.writeString(counts.spanName(), out);
    SeriesKey series = counts.series();
    out.writeInt(series.spanKind());
    out.writeInt(series.statusCode());
    StringValue.writeString(series.region(), out);
    SpanEventSerializer.writeStrings(series.dimensions(), out);
    out.writeBoolean(series.overflow());
    out.writeLong(counts.windowEnd());
    long[] values = counts.counts();
    out.writeInt(values.length);
    for (long value : values) {
      out.writeLong(value);
    }
  }

  /**
   * Service, span name and region are interned: the aggregator keeps them in its state's key, in the
   * timer's key (often another key object, made from a later record) and in the series, and each copy of
   * a span name costs tens of bytes per series.
   */
  @Override
  public WindowCounts deserialize(DataInputView in) throws IOException {
    String service = StringValue.readString(in).intern();
    String spanName = StringValue.readString(in).intern();
    SeriesKey series = new SeriesKey(in.readInt(), in.readInt(), StringValue.readString(in).intern(),
        SpanEventSerializer.readStrings(in), in.readBoolean());
    long windowEnd = in.readLong();
    long[] values = new long[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readLong();
    }
    return new WindowCounts(service, spanName, series, windowEnd, values);
  }

  @Override
  public TypeSerializerSnapshot<WindowCounts> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer from a checkpoint; the layout has one version so far. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<WindowCounts> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }

  /** Named by {@link WindowCounts}' {@code @TypeInfo}. */
  public static final class Factory extends TypeInfoFactory<WindowCounts> {
    @Override
    public TypeInformation<WindowCounts> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
      return TYPE;
    }
  }
}
