package io.tracemetrics.sink;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer of {@link TimeSeries}: a compact layout with no class tags and no reflection.
 *
 * <p>Values are written as raw IEEE bits so NaN payloads (Prometheus stale markers) survive. Public only
 * because Flink instantiates serializer snapshots reflectively.
 */
public final class TimeSeriesSerializer extends TypeSerializerSingleton<TimeSeries> {
  private static final long serialVersionUID = 1L;

  static final TimeSeriesSerializer INSTANCE = new TimeSeriesSerializer();

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public TimeSeries createInstance() {
    return null;
  }

  @Override
  public TimeSeries copy(TimeSeries from) {
    return from;
  }

  @Override
  public TimeSeries copy(TimeSeries from, TimeSeries reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(TimeSeries series, DataOutputView out) throws IOException {
    StringValue.writeString(series.metricName(), out);
    int labels = series.labelCount();
    out.writeInt(labels);
    for (int i = 0; i < labels; i++) {
      StringValue.writeString(series.labelName(i), out);
      StringValue.writeString(series.labelValue(i), out);
    }
    int samples = series.sampleCount();
    out.writeInt(samples);
    for (int i = 0; i < samples; i++) {
      out.writeLong(Double.doubleToRawLongBits(series.sampleValue(i)));
      out.writeLong(series.sampleTimestamp(i));
    }
  }

  @Override
  public TimeSeries deserialize(DataInputView in) throws IOException {
    String name = StringValue.readString(in);
    int labels = in.readInt();
    String[] names = new String[labels];
    String[] values = new String[labels];
    for (int i = 0; i < labels; i++) {
      names[i] = StringValue.readString(in);
      values[i] = StringValue.readString(in);
    }
    int samples = in.readInt();
    double[] sampleValues = new double[samples];
    long[] timestamps = new long[samples];
    for (int i = 0; i < samples; i++) {
      sampleValues[i] = Double.longBitsToDouble(in.readLong());
      timestamps[i] = in.readLong();
    }
    return new TimeSeries(name, names, values, sampleValues, timestamps);
  }

  @Override
  public TimeSeries deserialize(TimeSeries reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<TimeSeries> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer from a savepoint; the layout has one version so far. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<TimeSeries> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
