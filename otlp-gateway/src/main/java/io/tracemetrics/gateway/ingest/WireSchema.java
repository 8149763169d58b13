package io.tracemetrics.gateway.ingest;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the wire scanner needs to know about one message type, derived from the generated descriptor so
 * that it follows the opentelemetry-proto version on the classpath: for each field number the wire
 * types it may arrive in, whether it is a UTF-8 string or an embedded message (and of which type), its
 * name for error messages, and the numbers the schema reserves.
 */
final class WireSchema {
  private static final byte OTHER = 0;
  private static final byte STRING = 1;
  private static final byte MESSAGE = 2;
  private static final byte PACKED_VARINT = 3;
  private static final byte PACKED_FIXED32 = 4;
  private static final byte PACKED_FIXED64 = 5;

  /** What the scanner does with a field, by its tag: {@link #action(int)}. */
  static final byte REFUSE = 0;
  static final byte SKIP_VARINT = 1;
  static final byte SKIP_FIXED64 = 2;
  static final byte SKIP_FIXED32 = 3;
  static final byte SKIP_BYTES = 4;
  static final byte CHECK_STRING = 5;
  static final byte ENTER_MESSAGE = 6;
  static final byte CHECK_PACKED_VARINT = 7;
  static final byte CHECK_PACKED_FIXED32 = 8;
  static final byte CHECK_PACKED_FIXED64 = 9;
  static final byte SKIP_GROUP = 10;

  /** Wire types an unknown field may have: any but end-group and the two undefined ones. */
  private static final int UNKNOWN_WIRE_TYPES = bit(WireFormat.WIRETYPE_VARINT) | bit(WireFormat.WIRETYPE_FIXED64)
      | bit(WireFormat.WIRETYPE_LENGTH_DELIMITED) | bit(WireFormat.WIRETYPE_START_GROUP)
      | bit(WireFormat.WIRETYPE_FIXED32);

  /** A message type without fields, for the content of unknown groups. */
  static final WireSchema UNKNOWN = new WireSchema("group", 1, List.of());

  private final String name;
  private final int[] wireTypes;
  private final byte[] contents;
  private final String[] fieldNames;
  private final WireSchema[] children;
  private final List<DescriptorProto.ReservedRange> reserved;
  /** {@link #action(int)} of every tag of a field number below {@code size}, computed once. */
  private byte[] actions = new byte[0];

  private WireSchema(String name, int size, List<DescriptorProto.ReservedRange> reserved) {
    this.name = name;
    wireTypes = new int[size];
    contents = new byte[size];
    fieldNames = new String[size];
    children = new WireSchema[size];
    java.util.Arrays.fill(wireTypes, UNKNOWN_WIRE_TYPES);
    this.reserved = reserved;
  }

  /** The schema of {@code descriptor} and of every message type it reaches. */
  static WireSchema of(Descriptor descriptor) {
    return of(descriptor, new HashMap<>());
  }

  private static WireSchema of(Descriptor descriptor, Map<Descriptor, WireSchema> built) {
    WireSchema existing = built.get(descriptor);
    if (existing != null) {
      return existing;
    }
    int size = 1;
    for (FieldDescriptor field : descriptor.getFields()) {
      size = Math.max(size, field.getNumber() + 1);
    }
    WireSchema schema = new WireSchema(descriptor.getName(), size, descriptor.toProto().getReservedRangeList());
    built.put(descriptor, schema);   // before the fields: message types may refer to each other
    for (FieldDescriptor field : descriptor.getFields()) {
      if (field.getType() == FieldDescriptor.Type.GROUP) {
        throw new IllegalArgumentException("groups are not supported: " + field.getFullName());
      }
      int number = field.getNumber();
      // Parsers take a packable repeated scalar both one by one and packed (length-delimited).
      schema.wireTypes[number] = bit(field.getLiteType().getWireType())
          | (field.isPackable() ? bit(WireFormat.WIRETYPE_LENGTH_DELIMITED) : 0);
      schema.fieldNames[number] = field.getName();
      if (field.getType() == FieldDescriptor.Type.STRING) {
        schema.contents[number] = STRING;
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        schema.contents[number] = MESSAGE;
        schema.children[number] = of(field.getMessageType(), built);
      } else if (field.isPackable()) {
        schema.contents[number] = packed(field.getLiteType().getWireType());
      }
    }
    for (int number = 0; number < schema.wireTypes.length; number++) {
      if (schema.reserved(number)) {
        schema.wireTypes[number] = 0;
      }
    }
    schema.actions = schema.actionTable();
    return schema;
  }

  private byte[] actionTable() {
    byte[] table = new byte[wireTypes.length << 3];
    for (int tag = 0; tag < table.length; tag++) {
      table[tag] = computeAction(tag);
    }
    return table;
  }

  /**
   * What to do with a field of this tag: one lookup instead of checking the wire type, then the content,
   * for each of the tens of fields of every span. {@link #REFUSE} for a wire type the field may not have
   * and for reserved numbers.
   */
  byte action(int tag) {
    return tag >= 0 && tag < actions.length ? actions[tag] : computeAction(tag);   // tags of fields from 2^28 are negative
  }

  private byte computeAction(int tag) {
    int number = tag >>> 3;
    int wireType = tag & 7;
    if (number == 0 || !accepts(number, wireType)) {
      return REFUSE;
    }
    return switch (wireType) {
      case WireFormat.WIRETYPE_VARINT -> SKIP_VARINT;
      case WireFormat.WIRETYPE_FIXED64 -> SKIP_FIXED64;
      case WireFormat.WIRETYPE_FIXED32 -> SKIP_FIXED32;
      case WireFormat.WIRETYPE_START_GROUP -> SKIP_GROUP;
      default -> switch (content(number)) {   // length-delimited: accepts() let nothing else through
        case STRING -> CHECK_STRING;
        case MESSAGE -> ENTER_MESSAGE;
        case PACKED_VARINT -> CHECK_PACKED_VARINT;
        case PACKED_FIXED32 -> CHECK_PACKED_FIXED32;
        case PACKED_FIXED64 -> CHECK_PACKED_FIXED64;
        default -> SKIP_BYTES;
      };
    };
  }

  private static byte packed(int wireType) {
    return switch (wireType) {
      case WireFormat.WIRETYPE_FIXED32 -> PACKED_FIXED32;
      case WireFormat.WIRETYPE_FIXED64 -> PACKED_FIXED64;
      default -> PACKED_VARINT;
    };
  }

  private static int bit(int wireType) {
    return 1 << wireType;
  }

  /** Whether field {@code number} may arrive with {@code wireType}; false for reserved numbers. */
  private boolean accepts(int number, int wireType) {
    int allowed = number < wireTypes.length ? wireTypes[number]
        : reserved(number) ? 0 : UNKNOWN_WIRE_TYPES;
    return (allowed & bit(wireType)) != 0;
  }

  /**
   * How to check the payload of a length-delimited field: {@link #STRING}, {@link #MESSAGE}, one of the
   * packed kinds, or {@link #OTHER} (bytes, unknown fields).
   */
  private byte content(int number) {
    return number < contents.length ? contents[number] : OTHER;
  }

  /** The message type of a {@link #MESSAGE} field. */
  WireSchema child(int number) {
    return children[number];
  }

  private boolean known(int number) {
    return number < fieldNames.length && fieldNames[number] != null;
  }

  /** Whether the schema reserves this number: a field an older OTLP version had and this one dropped. */
  boolean reserved(int number) {
    for (DescriptorProto.ReservedRange range : reserved) {
      if (number >= range.getStart() && number < range.getEnd()) {
        return true;
      }
    }
    return false;
  }

  /** {@code Message.field (n)} for error messages. */
  String describe(int number) {
    return name + "." + (known(number) ? fieldNames[number] : "field") + " (" + number + ")";
  }

  String name() {
    return name;
  }
}
