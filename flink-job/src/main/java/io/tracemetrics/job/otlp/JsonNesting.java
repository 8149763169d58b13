package io.tracemetrics.job.otlp;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/**
 * Checks JSON text before protobuf's JSON parser sees it, because that parser builds a tree with Gson,
 * which recurses once per level (100,000 of '[' end in a StackOverflowError) and reads leniently
 * (comments, single quotes: a scan for brackets could be fooled). This pass is strict JSON, iterative and
 * linear: it refuses what is not strict JSON and nesting deeper than a bound, so the parser after it only
 * ever sees strict JSON of bounded depth.
 */
final class JsonNesting {
  private JsonNesting() {}

  /** Fails unless {@code text} is one strict JSON value whose objects and arrays nest at most {@code maxDepth}. */
  static void check(String text, int maxDepth) throws WireReader.Malformed {
    JsonReader reader = new JsonReader(new StringReader(text));
    reader.setLenient(false);
    int depth = 0;
    try {
      while (true) {
        JsonToken token = reader.peek();
        switch (token) {
          case BEGIN_ARRAY, BEGIN_OBJECT -> {
            if (++depth > maxDepth) {
              throw new WireReader.Malformed(
                  TracesDecoder.Rejection.TOO_DEEP, "JSON nested deeper than " + maxDepth + " levels");
            }
            if (token == JsonToken.BEGIN_ARRAY) {
              reader.beginArray();
            } else {
              reader.beginObject();
            }
          }
          case END_ARRAY -> {
            depth--;
            reader.endArray();
          }
          case END_OBJECT -> {
            depth--;
            reader.endObject();
          }
          case NAME -> reader.nextName();
          case END_DOCUMENT -> {
            return;
          }
          default -> reader.skipValue(); // a string, number, boolean or null: no nesting in it
        }
      }
    } catch (IOException | RuntimeException e) {
      // MalformedJsonException is an IOException; Gson reports some faults as IllegalStateException.
      throw new WireReader.Malformed(TracesDecoder.Rejection.INVALID_JSON, TracesDecoder.detail(e));
    }
  }
}
