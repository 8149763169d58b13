package io.tracemetrics.job.otlp;

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
 * Flink serializer of {@link SpanEvent}. Public only because Flink instantiates the factory and the
 * snapshot reflectively.
 */
public final class SpanEventSerializer extends ImmutableSerializer<SpanEvent> {
  private static final long serialVersionUID = 1L;

  static final SpanEventSerializer INSTANCE = new SpanEventSerializer();
  /** The type information Flink uses for spans. */
  public static final TypeInformation<SpanEvent> TYPE = new SerializerTypeInfo<>(SpanEvent.class, INSTANCE);

  @Override
  public void serialize(SpanEvent span, DataOutputView out) throws IOException {
    StringValue.writeString(span.serviceName(), out);
    StringValue.writeString(span.spanName(), out);
    out.writeInt(span.spanKind());
    out.writeInt(span.statusCode());
    out.writeLong(span.endTimeMillis());
    out.writeLong(span.durationNanos());
    StringValue.writeString(span.region(), out);
    writeStrings(span.dimensions(), out);
  }

  @Override
  public SpanEvent deserialize(DataInputView in) throws IOException {
    return new SpanEvent(
        StringValue.readString(in),
        StringValue.readString(in),
        in.readInt(),
        in.readInt(),
        in.readLong(),
        in.readLong(),
        readLabel(in),
        readStrings(in));
  }

  /** Writes a dimension array: its length, then each value. */
  public static void writeStrings(String[] values, DataOutputView out) throws IOException {
    out.writeInt(values.length);
    for (String value : values) {
      StringValue.writeString(value, out);
    }
  }

  /** Reads what {@link #writeStrings} wrote; no dimensions read as the one shared empty array. */
  public static String[] readStrings(DataInputView in) throws IOException {
    int length = in.readInt();
    if (length == 0) {
      return SpanEvent.NO_DIMENSIONS;
    }
    String[] values = new String[length];
    for (int i = 0; i < length; i++) {
      values[i] = StringValue.readString(in);
    }
    return values;
  }

  /** Reads a label value; the common empty one as the one shared instance, as it may stay in state. */
  public static String readLabel(DataInputView in) throws IOException {
    String value = StringValue.readString(in);
    return value.isEmpty() ? "" : value;
  }

  @Override
  public TypeSerializerSnapshot<SpanEvent> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer from a checkpoint; the layout has one version so far. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<SpanEvent> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }

  /** Named by {@link SpanEvent}'s {@code @TypeInfo}: Flink uses this serializer wherever spans appear. */
  public static final class Factory extends TypeInfoFactory<SpanEvent> {
    @Override
    public TypeInformation<SpanEvent> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
      return TYPE;
    }
  }
}
