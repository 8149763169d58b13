package io.tracemetrics.gateway.otlp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies {@link JsonKeyRule} to every object of an OTLP/JSON tree, in place, and reports what it
 * transcoded and ignored, so that the JSON parser that follows sees only fields it knows and nothing is
 * dropped without the client and the metrics being told.
 */
final class JsonSchemaWalk {
  /** Paths of ignored fields kept for the answer; all are counted. */
  private static final int MAX_PATHS = 5;

  /** What the walk changed. {@code ignoredSpans}: elements of {@code spans} arrays inside ignored fields. */
  record Report(Map<String, Integer> transcoded, int unknownFields, List<String> unknownPaths,
      long unknownSpans, int legacyDuplicates, long legacyDuplicateSpans) {

    /** Nothing transcoded or ignored (every protobuf body). */
    static final Report NONE = new Report(Map.of(), 0, List.of(), 0, 0, 0);

    boolean isEmpty() {
      return transcoded.isEmpty() && unknownFields == 0 && legacyDuplicates == 0;
    }

    boolean ignoredSomething() {
      return unknownFields > 0 || legacyDuplicates > 0;
    }

    /** One line for the client (OTLP partial_success.error_message) and the log. */
    String message() {
      List<String> parts = new ArrayList<>();
      if (unknownFields > 0) {
        parts.add("ignored " + unknownFields + " unknown field(s) " + String.join(", ", unknownPaths)
            + (unknownFields > unknownPaths.size() ? ", ..." : "")
            + (unknownSpans > 0 ? " holding " + unknownSpans + " span(s), which were not accepted" : ""));
      }
      if (!transcoded.isEmpty()) {
        parts.add("transcoded pre-1.0 OTLP field(s) " + transcoded + " to their current names; upgrade the"
            + " sender's OpenTelemetry SDK or exporter");
      }
      if (legacyDuplicates > 0) {
        parts.add("ignored " + legacyDuplicates + " pre-1.0 field(s) set beside their successor (the same "
            + legacyDuplicateSpans + " span(s) sent twice)");
      }
      return String.join("; ", parts);
    }
  }

  private final Map<String, Integer> transcoded = new TreeMap<>();
  private final List<String> unknownPaths = new ArrayList<>();
  /** Path segments of the object being walked, joined only for the few paths reported. */
  private final Deque<String> path = new ArrayDeque<>();
  private int unknownFields;
  private long unknownSpans;
  private int legacyDuplicates;
  private long legacyDuplicateSpans;

  private JsonSchemaWalk() {}

  static Report normalize(JsonObject root, Descriptor type) {
    JsonSchemaWalk walk = new JsonSchemaWalk();
    walk.message(root, type);
    return new Report(Map.copyOf(walk.transcoded), walk.unknownFields, List.copyOf(walk.unknownPaths),
        walk.unknownSpans, walk.legacyDuplicates, walk.legacyDuplicateSpans);
  }

  private void message(JsonObject object, Descriptor type) {
    for (String key : new ArrayList<>(object.keySet())) {
      JsonKeyRule.Decision decision = JsonKeyRule.decide(type, key, object);
      switch (decision.action()) {
        case KNOWN -> value(key, object.get(key), decision.field());
        case TRANSCODE -> {
          JsonElement value = JsonKeyRule.transcodedValue(type, object.remove(key));
          String name = decision.field().getJsonName();
          object.remove(decision.field().getName());   // an empty or null successor, if any
          object.add(name, value);
          transcoded.merge(key, 1, Integer::sum);
          value(name, value, decision.field());
        }
        case IGNORE_LEGACY_DUPLICATE -> {
          legacyDuplicates++;
          legacyDuplicateSpans += spans(object.remove(key));
        }
        default -> {
          unknownFields++;
          unknownSpans += spans(object.remove(key));
          if (unknownPaths.size() < MAX_PATHS) {
            unknownPaths.add(String.join("", path) + (path.isEmpty() ? "" : ".") + key);
          }
        }
      }
    }
  }

  /** Walks into the value of a message field; other shapes are left to the JSON parser to judge. */
  private void value(String key, JsonElement value, FieldDescriptor field) {
    if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || field.isMapField()) {
      return;
    }
    if (value instanceof JsonArray array && field.isRepeated()) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i) instanceof JsonObject element) {
          enter(key + "[" + i + "]", element, field.getMessageType());
        }
      }
    } else if (value instanceof JsonObject object && !field.isRepeated()) {
      enter(key, object, field.getMessageType());
    }
  }

  private void enter(String segment, JsonObject object, Descriptor type) {
    path.addLast(path.isEmpty() ? segment : "." + segment);
    message(object, type);
    path.removeLast();
  }

  /** Elements of arrays named {@code spans} anywhere in {@code value}: the spans an ignored field held. */
  private static long spans(JsonElement value) {
    long spans = 0;
    Deque<JsonElement> pending = new ArrayDeque<>();
    pending.push(value);
    while (!pending.isEmpty()) {
      JsonElement next = pending.pop();
      if (next instanceof JsonObject object) {
        for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
          if (entry.getKey().equals("spans") && entry.getValue() instanceof JsonArray array) {
            spans += array.size();
          }
          pending.push(entry.getValue());
        }
      } else if (next instanceof JsonArray array) {
        array.forEach(pending::push);
      }
    }
    return spans;
  }
}
