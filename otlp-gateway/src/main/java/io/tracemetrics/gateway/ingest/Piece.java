package io.tracemetrics.gateway.ingest;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.List;

/** One whole protobuf field of a record being cut from a scanned body: its size, and how to write it. */
sealed interface Piece permits Piece.Copied, Piece.Rebuilt {
  /** Bytes the field takes: tag, length and payload. */
  int size();

  void writeTo(byte[] body, CodedOutputStream out) throws IOException;

  /** A field taken from the body byte for byte (a ResourceSpans, ScopeSpans or span that fits). */
  record Copied(int start, int end) implements Piece {
    @Override
    public int size() {
      return end - start;
    }

    @Override
    public void writeTo(byte[] body, CodedOutputStream out) throws IOException {
      out.writeRawBytes(body, start, end - start);
    }
  }

  /**
   * An embedded message rebuilt from part of one in the body: its other fields copied as they were
   * (resource, scope, schema URL, unknown fields), then a subset of its children.
   */
  final class Rebuilt implements Piece {
    private final int field;
    private final Ranges header;
    private final List<Piece> children;
    private final int payload;

    Rebuilt(int field, Ranges header, List<Piece> children) {
      this.field = field;
      this.header = header;
      this.children = List.copyOf(children);
      int bytes = header.bytes();
      for (Piece child : children) {
        bytes += child.size();
      }
      this.payload = bytes;
    }

    @Override
    public int size() {
      return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(payload) + payload;
    }

    @Override
    public void writeTo(byte[] body, CodedOutputStream out) throws IOException {
      out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(payload);
      writeHeader(body, header, out);
      for (Piece child : children) {
        child.writeTo(body, out);
      }
    }
  }

  /** Copies every range of {@code header} from the body, in order. */
  static void writeHeader(byte[] body, Ranges header, CodedOutputStream out) throws IOException {
    for (int i = 0; i < header.count(); i++) {
      out.writeRawBytes(body, header.start(i), header.length(i));
    }
  }
}
