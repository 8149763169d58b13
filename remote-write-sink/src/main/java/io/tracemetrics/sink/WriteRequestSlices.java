package io.tracemetrics.sink;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.xerial.snappy.Snappy;

/**
 * The series of an encoded {@code WriteRequest}, addressable by index, so a request the receiver refused
 * can be re-sent in parts. A part is a contiguous run of series and its body is that run's bytes exactly
 * as first encoded: labels, their order and the samples of each series are untouched, and a
 * {@code WriteRequest} is just its repeated {@code timeseries} fields, so the part is a valid request.
 */
final class WriteRequestSlices {
  private static final int WRITE_REQUEST_TIMESERIES_TAG =
      lengthDelimited(1);
  private static final int SERIES_LABELS_TAG = lengthDelimited(1);
  private static final int SERIES_SAMPLES_TAG = lengthDelimited(2);
  private static final int LABEL_NAME_TAG = lengthDelimited(1);
  private static final int LABEL_VALUE_TAG = lengthDelimited(2);

  private final byte[] request;
  /** {@code starts[i]} is where series i begins; {@code starts[count]} is the end of the request. */
  private final int[] starts;
  private final int[] samples;

  private WriteRequestSlices(byte[] request, int[] starts, int[] samples) {
    this.request = request;
    this.starts = starts;
    this.samples = samples;
  }

  /** Indexes the uncompressed protobuf of a WriteRequest as {@link WriteRequestBuffer} writes it. */
  static WriteRequestSlices parse(byte[] request) throws IOException {
    int[] starts = new int[16];
    int[] samples = new int[16];
    int count = 0;
    CodedInputStream in = CodedInputStream.newInstance(request);
    while (!in.isAtEnd()) {
      int start = in.getTotalBytesRead();
      int tag = in.readTag();
      if (tag != WRITE_REQUEST_TIMESERIES_TAG) {
        throw new IOException("not a remote-write WriteRequest: tag " + tag + " at byte " + start);
      }
      int length = in.readRawVarint32();
      int body = in.getTotalBytesRead();
      in.skipRawBytes(length);
      if (count + 1 >= starts.length) {
        starts = Arrays.copyOf(starts, starts.length * 2);
        samples = Arrays.copyOf(samples, samples.length * 2);
      }
      starts[count] = start;
      samples[count] = countSamples(request, body, length);
      count++;
    }
    starts[count] = request.length;
    return new WriteRequestSlices(request, Arrays.copyOf(starts, count + 1), Arrays.copyOf(samples, count));
  }

  int seriesCount() {
    return samples.length;
  }

  /** Samples of series {@code i}. */
  int samples(int i) {
    return samples[i];
  }

  /** Samples of series {@code from} (inclusive) to {@code to} (exclusive). */
  int samples(int from, int to) {
    int total = 0;
    for (int i = from; i < to; i++) {
      total += samples[i];
    }
    return total;
  }

  /** Uncompressed protobuf bytes of series {@code from} (inclusive) to {@code to} (exclusive). */
  int bytes(int from, int to) {
    checkRange(from, to);
    return starts[to] - starts[from];
  }

  /**
   * Series {@code from} (inclusive) to {@code to} (exclusive) as a WriteRequest of their own, compressed
   * with the snappy block format.
   */
  byte[] snappyCompressed(int from, int to) {
    int length = bytes(from, to);
    try {
      byte[] out = new byte[Snappy.maxCompressedLength(length)];
      int compressed = Snappy.rawCompress(request, starts[from], length, out, 0);
      return Arrays.copyOf(out, compressed);
    } catch (IOException e) {
      throw new UncheckedIOException("snappy compression failed", e);
    }
  }

  private void checkRange(int from, int to) {
    if (from < 0 || to > seriesCount() || from >= to) {
      throw new IndexOutOfBoundsException("series [" + from + ", " + to + ") of " + seriesCount());
    }
  }

  /** Series {@code i} as PromQL would print it, e.g. {@code calls_total{service_name="api"}}, for logs. */
  String describe(int i) {
    try {
      CodedInputStream series = CodedInputStream.newInstance(request, starts[i], starts[i + 1] - starts[i]);
      series.readTag();
      series.pushLimit(series.readRawVarint32());
      String name = "";
      StringBuilder labels = new StringBuilder();
      int tag;
      while ((tag = series.readTag()) == SERIES_LABELS_TAG) {
        int limit = series.pushLimit(series.readRawVarint32());
        String labelName = "";
        String labelValue = "";
        int field;
        while ((field = series.readTag()) != 0) {
          if (field == LABEL_NAME_TAG) {
            labelName = series.readStringRequireUtf8();
          } else if (field == LABEL_VALUE_TAG) {
            labelValue = series.readStringRequireUtf8();
          } else {
            series.skipField(field);
          }
        }
        series.popLimit(limit);
        if ("__name__".equals(labelName)) {
          name = labelValue;
        } else {
          labels.append(labels.length() == 0 ? "" : ",").append(labelName).append("=\"")
              .append(labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
              .append('"');
        }
      }
      return name + "{" + labels + "}";
    } catch (IOException e) {
      // Only for a log line: the bytes were parsed once already, so this is not expected.
      return "series #" + i + " (" + e.getMessage() + ")";
    }
  }

  private static int countSamples(byte[] request, int offset, int length) throws IOException {
    CodedInputStream series = CodedInputStream.newInstance(request, offset, length);
    int count = 0;
    int tag;
    while ((tag = series.readTag()) != 0) {
      if (tag == SERIES_SAMPLES_TAG) {
        count++;
      } else if (tag != SERIES_LABELS_TAG) {
        throw new IOException("not a remote-write TimeSeries: tag " + tag);
      }
      series.skipField(tag);
    }
    return count;
  }

  /** The tag of a length-delimited field, as protobuf writes it: field number, then wire type 2. */
  private static int lengthDelimited(int field) {
    return field << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  @Override
  public String toString() {
    return "WriteRequestSlices{series=" + seriesCount() + ", bytes=" + request.length + "}";
  }
}
