package io.tracemetrics.sink;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.xerial.snappy.Snappy;

/**
 * Accumulates series as an encoded Remote-Write 1.0 {@code WriteRequest} protobuf, written directly with
 * {@link CodedOutputStream} so each series is encoded exactly once and the byte size is exact.
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * </pre>
 *
 * Labels go out sorted by name with {@code __name__} in its sorted place, as the spec requires. Not
 * thread-safe.
 *
 * <p>Internal to the sink; public (with only the members below that are public) because
 * the benchmarks' {@code SinkBench} and the JMH {@code EncodeBenchmark} measure the encoding
 * ceiling with it. Not a supported API.
 */
public final class WriteRequestBuffer {
  private static final String NAME_LABEL = "__name__";
  private static final int WRITE_REQUEST_TIMESERIES = 1;
  private static final int TIMESERIES_LABELS = 1;
  private static final int TIMESERIES_SAMPLES = 2;
  private static final int LABEL_NAME = 1;
  private static final int LABEL_VALUE = 2;
  private static final int SAMPLE_VALUE = 1;
  private static final int SAMPLE_TIMESTAMP = 2;

  private byte[] buffer;
  private int size;
  private int seriesCount;
  private int sampleCount;

  public WriteRequestBuffer(int initialCapacity) {
    buffer = new byte[Math.max(64, initialCapacity)];
  }

  /** Bytes {@link #add} would append for this series (the field tag and length prefix included). */
  static int encodedSize(TimeSeries series) {
    return encodedSize(series, 0, series.sampleCount());
  }

  /** Bytes {@link #add(TimeSeries, int, int)} would append for these samples of the series. */
  static int encodedSize(TimeSeries series, int fromSample, int toSample) {
    return embeddedSize(WRITE_REQUEST_TIMESERIES, seriesBodySize(series, fromSample, toSample));
  }

  public void add(TimeSeries series) {
    add(series, 0, series.sampleCount());
  }

  /**
   * Appends the series with only the samples {@code fromSample} (inclusive) to {@code toSample}
   * (exclusive): one part of a series too long for one request.
   */
  void add(TimeSeries series, int fromSample, int toSample) {
    if (fromSample < 0 || toSample > series.sampleCount() || fromSample >= toSample) {
      throw new IndexOutOfBoundsException("samples [" + fromSample + ", " + toSample + ") of a series with "
          + series.sampleCount());
    }
    int body = seriesBodySize(series, fromSample, toSample);
    int total = embeddedSize(WRITE_REQUEST_TIMESERIES, body);
    ensureCapacity(total);
    CodedOutputStream out = CodedOutputStream.newInstance(buffer, size, total);
    try {
      out.writeTag(WRITE_REQUEST_TIMESERIES, 2);
      out.writeUInt32NoTag(body);
      writeSeriesBody(series, fromSample, toSample, out);
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      // Only an array of the wrong size can cause this: a bug, never an I/O condition.
      throw new UncheckedIOException("series encoded to a different size than computed", e);
    }
    size += total;
    seriesCount++;
    sampleCount += toSample - fromSample;
  }

  /** Uncompressed size of the WriteRequest so far. */
  public int sizeBytes() {
    return size;
  }

  int seriesCount() {
    return seriesCount;
  }

  public int sampleCount() {
    return sampleCount;
  }

  boolean isEmpty() {
    return seriesCount == 0;
  }

  /** The WriteRequest so far, compressed with the snappy block format (not the framed format). */
  public byte[] snappyCompressed() {
    try {
      byte[] out = new byte[Snappy.maxCompressedLength(size)];
      int length = Snappy.rawCompress(buffer, 0, size, out, 0);
      return Arrays.copyOf(out, length);
    } catch (IOException e) {
      throw new UncheckedIOException("snappy compression failed", e);
    }
  }

  /** Empties the buffer, keeping its memory for the next batch. */
  public void clear() {
    size = 0;
    seriesCount = 0;
    sampleCount = 0;
  }

  private void ensureCapacity(int extra) {
    if (size + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
    }
  }

  private static int seriesBodySize(TimeSeries series, int fromSample, int toSample) {
    int total = embeddedSize(TIMESERIES_LABELS, labelSize(NAME_LABEL, series.metricName()));
    for (int i = 0; i < series.labelCount(); i++) {
      total += embeddedSize(TIMESERIES_LABELS, labelSize(series.labelName(i), series.labelValue(i)));
    }
    for (int i = fromSample; i < toSample; i++) {
      total += embeddedSize(TIMESERIES_SAMPLES,
          sampleSize(series.sampleValue(i), series.sampleTimestamp(i)));
    }
    return total;
  }

  private static void writeSeriesBody(TimeSeries series, int fromSample, int toSample,
      CodedOutputStream out) throws IOException {
    // Labels are sorted without __name__; merge it in at its place in byte order.
    boolean nameWritten = false;
    for (int i = 0; i < series.labelCount(); i++) {
      String name = series.labelName(i);
      if (!nameWritten && NAME_LABEL.compareTo(name) < 0) {
        writeLabel(out, NAME_LABEL, series.metricName());
        nameWritten = true;
      }
      writeLabel(out, name, series.labelValue(i));
    }
    if (!nameWritten) {
      writeLabel(out, NAME_LABEL, series.metricName());
    }
    for (int i = fromSample; i < toSample; i++) {
      double value = series.sampleValue(i);
      long timestamp = series.sampleTimestamp(i);
      out.writeTag(TIMESERIES_SAMPLES, 2);
      out.writeUInt32NoTag(sampleSize(value, timestamp));
      // proto3 leaves default values out; raw bits keep -0.0 and NaN payloads (stale markers).
      if (Double.doubleToRawLongBits(value) != 0L) {
        out.writeDouble(SAMPLE_VALUE, value);
      }
      if (timestamp != 0L) {
        out.writeInt64(SAMPLE_TIMESTAMP, timestamp);
      }
    }
  }

  private static void writeLabel(CodedOutputStream out, String name, String value)
      throws IOException {
    out.writeTag(TIMESERIES_LABELS, 2);
    out.writeUInt32NoTag(labelSize(name, value));
    out.writeString(LABEL_NAME, name);
    out.writeString(LABEL_VALUE, value);
  }

  private static int labelSize(String name, String value) {
    return CodedOutputStream.computeStringSize(LABEL_NAME, name)
        + CodedOutputStream.computeStringSize(LABEL_VALUE, value);
  }

  private static int sampleSize(double value, long timestamp) {
    int total = 0;
    if (Double.doubleToRawLongBits(value) != 0L) {
      total += CodedOutputStream.computeDoubleSize(SAMPLE_VALUE, value);
    }
    if (timestamp != 0L) {
      total += CodedOutputStream.computeInt64Size(SAMPLE_TIMESTAMP, timestamp);
    }
    return total;
  }

  private static int embeddedSize(int field, int bodySize) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(bodySize)
        + bodySize;
  }
}
