package io.tracemetrics.sink;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * An independent Remote-Write 1.0 decoder for tests: snappy block decompression, then protobuf's own
 * parser driven by a descriptor built from the spec's message definitions (no code shared with the
 * encoder under test).
 */
public final class WireDecoder {
  /** One decoded label. */
  public record DecodedLabel(String name, String value) {}

  /** One decoded sample; the value's raw bits are kept to tell NaN payloads apart. */
  public record DecodedSample(long valueBits, long timestamp) {
    public double value() {
      return Double.longBitsToDouble(valueBits);
    }
  }

  /** One decoded series, labels in wire order. */
  public record DecodedSeries(List<DecodedLabel> labels, List<DecodedSample> samples) {
    public String label(String name) {
      return labels.stream().filter(l -> l.name().equals(name)).map(DecodedLabel::value).findFirst()
          .orElse(null);
    }
  }

  private static final Descriptor WRITE_REQUEST = buildWriteRequestDescriptor();

  private WireDecoder() {}

  public static List<DecodedSeries> decodeSnappy(byte[] compressed) throws IOException {
    return decode(Snappy.uncompress(compressed));
  }

  public static List<DecodedSeries> decode(byte[] protobuf) throws IOException {
    DynamicMessage request = DynamicMessage.parseFrom(WRITE_REQUEST, protobuf);
    Descriptor seriesType = WRITE_REQUEST.findFieldByName("timeseries").getMessageType();
    Descriptor labelType = seriesType.findFieldByName("labels").getMessageType();
    Descriptor sampleType = seriesType.findFieldByName("samples").getMessageType();
    List<DecodedSeries> result = new ArrayList<>();
    for (Object s : (List<?>) request.getField(WRITE_REQUEST.findFieldByName("timeseries"))) {
      DynamicMessage series = (DynamicMessage) s;
      List<DecodedLabel> labels = new ArrayList<>();
      for (Object l : (List<?>) series.getField(seriesType.findFieldByName("labels"))) {
        DynamicMessage label = (DynamicMessage) l;
        labels.add(new DecodedLabel((String) label.getField(labelType.findFieldByName("name")),
            (String) label.getField(labelType.findFieldByName("value"))));
      }
      List<DecodedSample> samples = new ArrayList<>();
      for (Object x : (List<?>) series.getField(seriesType.findFieldByName("samples"))) {
        DynamicMessage sample = (DynamicMessage) x;
        double value = (Double) sample.getField(sampleType.findFieldByName("value"));
        long timestamp = (Long) sample.getField(sampleType.findFieldByName("timestamp"));
        samples.add(new DecodedSample(Double.doubleToRawLongBits(value), timestamp));
      }
      result.add(new DecodedSeries(labels, samples));
    }
    return result;
  }

  private static Descriptor buildWriteRequestDescriptor() {
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName("remote_write_test.proto").setPackage("prometheus").setSyntax("proto3")
        .addMessageType(message("WriteRequest", field("timeseries", 1, "TimeSeries")))
        .addMessageType(message("TimeSeries", field("labels", 1, "Label"), field("samples", 2, "Sample")))
        .addMessageType(message("Label", scalar("name", 1, Type.TYPE_STRING),
            scalar("value", 2, Type.TYPE_STRING)))
        .addMessageType(message("Sample", scalar("value", 1, Type.TYPE_DOUBLE),
            scalar("timestamp", 2, Type.TYPE_INT64)))
        .build();
    try {
      return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName("WriteRequest");
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
    DescriptorProto.Builder builder = DescriptorProto.newBuilder().setName(name);
    for (FieldDescriptorProto f : fields) {
      builder.addField(f);
    }
    return builder.build();
  }

  private static FieldDescriptorProto field(String name, int number, String messageType) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
        .setLabel(Label.LABEL_REPEATED).setType(Type.TYPE_MESSAGE)
        .setTypeName(".prometheus." + messageType).build();
  }

  private static FieldDescriptorProto scalar(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
        .setLabel(Label.LABEL_OPTIONAL).setType(type).build();
  }
}
