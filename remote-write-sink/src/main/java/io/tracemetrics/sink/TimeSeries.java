package io.tracemetrics.sink;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One time series (a metric name, its labels and one or more samples), immutable.
 *
 * <p>Labels are kept sorted by name and exclude {@code __name__}, which is the metric name. Samples are
 * in strictly increasing timestamp order (milliseconds since the epoch). Flink serializes this type with
 * {@link TimeSeriesSerializer}, never with Kryo.
 */
@TypeInfo(TimeSeriesTypeInfoFactory.class)
public final class TimeSeries implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String NAME_LABEL = "__name__";

  private final String metricName;
  private final String[] labelNames;
  private final String[] labelValues;
  private final double[] values;
  private final long[] timestamps;

  /** Trusted: the arrays are owned by the new instance and already valid (builder or serializer). */
  TimeSeries(String metricName, String[] labelNames, String[] labelValues, double[] values,
      long[] timestamps) {
    this.metricName = metricName;
    this.labelNames = labelNames;
    this.labelValues = labelValues;
    this.values = values;
    this.timestamps = timestamps;
  }

  /** Starts a series of the given metric name, checked in {@link Builder#build()}. */
  public static Builder builder(String metricName) {
    return new Builder(Objects.requireNonNull(metricName, "metricName"));
  }

  public String metricName() {
    return metricName;
  }

  /** Number of labels, excluding {@code __name__}. */
  public int labelCount() {
    return labelNames.length;
  }

  /** The i-th label name in ascending order. */
  public String labelName(int i) {
    return labelNames[i];
  }

  public String labelValue(int i) {
    return labelValues[i];
  }

  public int sampleCount() {
    return values.length;
  }

  public double sampleValue(int i) {
    return values[i];
  }

  /** Milliseconds since the epoch. */
  public long sampleTimestamp(int i) {
    return timestamps[i];
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TimeSeries)) {
      return false;
    }
    TimeSeries other = (TimeSeries) o;
    return metricName.equals(other.metricName)
        && Arrays.equals(labelNames, other.labelNames)
        && Arrays.equals(labelValues, other.labelValues)
        && Arrays.equals(timestamps, other.timestamps)
        && sameValueBits(values, other.values);
  }

  /** Compares raw bits so that distinct NaN payloads (Prometheus stale markers) are told apart. */
  private static boolean sameValueBits(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = metricName.hashCode();
    h = 31 * h + Arrays.hashCode(labelNames);
    h = 31 * h + Arrays.hashCode(labelValues);
    return 31 * h + Arrays.hashCode(timestamps);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(metricName).append('{');
    for (int i = 0; i < labelNames.length; i++) {
      sb.append(i == 0 ? "" : ",").append(labelNames[i]).append("=\"").append(labelValues[i]).append('"');
    }
    sb.append("}[");
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(values[i]).append(" @").append(timestamps[i]);
    }
    return sb.append(']').toString();
  }

  /** Collects a series; not thread-safe, reusable after {@link #build()}. */
  public static final class Builder {
    private final String metricName;
    private final TreeMap<String, String> labels = new TreeMap<>();
    private double[] values = new double[1];
    private long[] timestamps = new long[1];
    private int samples;

    private Builder(String metricName) {
      this.metricName = metricName;
    }

    /**
     * Adds a label. An empty value means the label is absent (Prometheus semantics), so it is not sent.
     *
     * @throws IllegalArgumentException on an invalid or reserved name or a duplicate name
     */
    public Builder label(String name, String value) {
      Objects.requireNonNull(name, "label name");
      Objects.requireNonNull(value, () -> "value of label " + name);
      if (!isValidName(name, false)) {
        throw new IllegalArgumentException(
            "label name '" + name + "' of metric " + metricName + " must match [a-zA-Z_][a-zA-Z0-9_]*");
      }
      if (name.startsWith("__")) {
        throw new IllegalArgumentException("label name '" + name + "' of metric " + metricName
            + " is reserved: names starting with __ belong to Prometheus (the metric name is __name__)");
      }
      if (labels.putIfAbsent(name, value) != null) {
        throw new IllegalArgumentException("duplicate label '" + name + "' on metric " + metricName);
      }
      return this;
    }

    /** Adds a sample; samples must come in strictly increasing timestamp order. */
    public Builder sample(double value, long timestampMillis) {
      if (samples == values.length) {
        values = Arrays.copyOf(values, samples * 2);
        timestamps = Arrays.copyOf(timestamps, samples * 2);
      }
      values[samples] = value;
      timestamps[samples] = timestampMillis;
      samples++;
      return this;
    }

    /** @throws IllegalArgumentException if the name is invalid, no sample was added or out of order */
    public TimeSeries build() {
      if (!isValidName(metricName, true)) {
        throw new IllegalArgumentException(
            "metric name '" + metricName + "' must match [a-zA-Z_:][a-zA-Z0-9_:]*");
      }
      if (samples == 0) {
        throw new IllegalArgumentException("series " + metricName + " has no sample");
      }
      for (int i = 1; i < samples; i++) {
        if (timestamps[i] <= timestamps[i - 1]) {
          throw new IllegalArgumentException("samples of " + metricName
              + " must have strictly increasing timestamps, got " + timestamps[i - 1] + " then "
              + timestamps[i]);
        }
      }
      // Empty values are dropped here, not in label(), so duplicates are still caught.
      int present = 0;
      for (String value : labels.values()) {
        present += value.isEmpty() ? 0 : 1;
      }
      String[] names = new String[present];
      String[] vals = new String[present];
      int i = 0;
      for (Map.Entry<String, String> e : labels.entrySet()) {
        if (!e.getValue().isEmpty()) {
          names[i] = e.getKey();
          vals[i++] = e.getValue();
        }
      }
      return new TimeSeries(metricName, names, vals, Arrays.copyOf(values, samples),
          Arrays.copyOf(timestamps, samples));
    }
  }

  /**
   * {@code [a-zA-Z_:][a-zA-Z0-9_:]*} for metric names, the same without {@code :} for label names;
   * checked by hand because a regex match per label was the largest cost of building a series.
   */
  static boolean isValidName(String name, boolean colonAllowed) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || colonAllowed && c == ':'
          || i > 0 && c >= '0' && c <= '9';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
