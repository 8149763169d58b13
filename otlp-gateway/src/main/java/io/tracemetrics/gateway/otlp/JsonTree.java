package io.tracemetrics.gateway.otlp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads an OTLP/JSON body into a tree, refusing what a JSON parser would otherwise accept while losing
 * data: bytes that are not UTF-8 (decoding would replace them), a {@code \\u} escape of half a surrogate
 * pair (encoding would write {@code ?} for it), a key repeated in one object (the tree
 * would keep the last, silently dropping the first, spans included), nesting deeper than
 * {@link #MAX_DEPTH}, and anything after the top-level object.
 */
final class JsonTree {
  /**
   * Deepest nesting of objects and arrays: the JSON parser refuses messages nested deeper than 100, and a
   * message level is at most an object and an array, so nothing the parser accepts is refused here.
   */
  static final int MAX_DEPTH = 255;

  private JsonTree() {}

  static JsonObject read(byte[] body) throws InvalidProtocolBufferException {
    String text = utf8(body);
    try {
      JsonReader reader = new JsonReader(new StringReader(text));
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        throw new InvalidProtocolBufferException("OTLP JSON must be an object, not " + reader.peek());
      }
      JsonObject root = object(reader, 1);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new InvalidProtocolBufferException("unexpected content after the JSON object at " + reader.getPath());
      }
      return root;
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Gson reports syntax errors (MalformedJsonException) and the nesting limit this way.
      throw new InvalidProtocolBufferException("invalid JSON: " + e.getMessage());
    }
  }

  private static String utf8(byte[] body) throws InvalidProtocolBufferException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidProtocolBufferException("JSON body is not valid UTF-8: " + e.getMessage());
    }
  }

  private static JsonElement value(JsonReader reader, int depth) throws IOException {
    return switch (reader.peek()) {
      case BEGIN_OBJECT -> object(reader, depth + 1);
      case BEGIN_ARRAY -> array(reader, depth + 1);
      case STRING -> new JsonPrimitive(wellFormed(reader.nextString(), reader));
      // The number's text as sent: int64 values beyond a double's precision stay exact.
      case NUMBER -> new JsonPrimitive(new LazilyParsedNumber(reader.nextString()));
      case BOOLEAN -> new JsonPrimitive(reader.nextBoolean());
      case NULL -> {
        reader.nextNull();
        yield JsonNull.INSTANCE;
      }
      default -> throw new IOException("unexpected " + reader.peek() + " at " + reader.getPath());
    };
  }

  private static JsonObject object(JsonReader reader, int depth) throws IOException {
    checkDepth(reader, depth);
    JsonObject object = new JsonObject();
    reader.beginObject();
    while (reader.hasNext()) {
      String key = wellFormed(reader.nextName(), reader);
      if (object.has(key)) {
        throw new InvalidProtocolBufferException("duplicate key " + reader.getPath()
            + ": a JSON parser keeps one of the two values and would lose the other");
      }
      object.add(key, value(reader, depth));
    }
    reader.endObject();
    return object;
  }

  private static JsonArray array(JsonReader reader, int depth) throws IOException {
    checkDepth(reader, depth);
    JsonArray array = new JsonArray();
    reader.beginArray();
    while (reader.hasNext()) {
      array.add(value(reader, depth));
    }
    reader.endArray();
    return array;
  }

  private static void checkDepth(JsonReader reader, int depth) throws InvalidProtocolBufferException {
    if (depth > MAX_DEPTH) {
      throw new InvalidProtocolBufferException("JSON nested deeper than " + MAX_DEPTH + " levels at "
          + reader.getPath());
    }
  }

  /** {@code text}, unless it holds half a surrogate pair (from an escape), which UTF-8 cannot encode. */
  private static String wellFormed(String text, JsonReader reader) throws InvalidProtocolBufferException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new InvalidProtocolBufferException(String.format("string at %s holds the unpaired surrogate"
            + " \\u%04X, which has no UTF-8 encoding", reader.getPath(), (int) c));
      }
    }
    return text;
  }
}
