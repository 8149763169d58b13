package io.tracemetrics.gateway.otlp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * What the gateway does with one key of an OTLP/JSON object of a given message type.
 *
 * <p>Pre-1.0 names that senders still use are transcoded, following the rules the OTLP proto gave for
 * their grace periods: {@code instrumentationLibrarySpans} (ResourceSpans, 0.15-0.18) becomes
 * {@code scopeSpans} and {@code instrumentationLibrary} (its elements) becomes {@code scope} (same field
 * numbers and shapes), unless the new field is also set, in which case the old one is a double-publish
 * and is ignored; {@code deprecatedCode} (Status, 0.7-0.18) counts only when {@code code} is unset, and
 * then means ERROR unless it is OK. Every other unknown key is ignored, as OTLP requires of JSON
 * receivers, and reported.
 */
final class JsonKeyRule {
  enum Action {
    /** A field of the message (JSON name or proto name): kept. */
    KNOWN,
    /** A pre-1.0 name whose new field is unset: moved to the new field. */
    TRANSCODE,
    /** A pre-1.0 name whose new field is set too: the same data sent twice; ignored. */
    IGNORE_LEGACY_DUPLICATE,
    /** Not a field of this message (a newer OTLP version, a typo, another signal): ignored. */
    UNKNOWN
  }

  /** A decision; {@code field} is the field the value belongs to for KNOWN and TRANSCODE. */
  record Decision(Action action, @Nullable FieldDescriptor field) {}

  private static final String STATUS = "opentelemetry.proto.trace.v1.Status";
  /** Legacy JSON key (both spellings JSON parsers accept) to the proto name of its successor, by message. */
  private static final Map<String, Map<String, String>> LEGACY = Map.of(
      "opentelemetry.proto.trace.v1.ResourceSpans", Map.of(
          "instrumentationLibrarySpans", "scope_spans", "instrumentation_library_spans", "scope_spans"),
      "opentelemetry.proto.trace.v1.ScopeSpans", Map.of(
          "instrumentationLibrary", "scope", "instrumentation_library", "scope"),
      STATUS, Map.of("deprecatedCode", "code", "deprecated_code", "code"));

  private JsonKeyRule() {}

  static Decision decide(Descriptor message, String key, JsonObject object) {
    FieldDescriptor field = field(message, key);
    if (field != null) {
      return new Decision(Action.KNOWN, field);
    }
    String successor = LEGACY.getOrDefault(message.getFullName(), Map.of()).get(key);
    if (successor == null) {
      return new Decision(Action.UNKNOWN, null);
    }
    FieldDescriptor newField = message.findFieldByName(successor);
    boolean newFieldSet = isSet(object.get(newField.getJsonName())) || isSet(object.get(newField.getName()));
    return new Decision(newFieldSet ? Action.IGNORE_LEGACY_DUPLICATE : Action.TRANSCODE, newField);
  }

  /**
   * The value of a transcoded legacy key in its new field: the same, except for Status.deprecatedCode,
   * whose codes (OK, or one of the gRPC error codes) mean UNSET or ERROR in the new field.
   */
  static JsonElement transcodedValue(Descriptor message, JsonElement value) {
    if (!message.getFullName().equals(STATUS)) {
      return value;
    }
    boolean ok = value.isJsonNull() || value.isJsonPrimitive()
        && (value.getAsString().equals("0") || value.getAsString().equals("DEPRECATED_STATUS_CODE_OK"));
    return new JsonPrimitive(ok ? 0 : 2);   // STATUS_CODE_UNSET : STATUS_CODE_ERROR
  }

  @Nullable
  private static FieldDescriptor field(Descriptor message, String key) {
    FieldDescriptor byName = message.findFieldByName(key);
    if (byName != null) {
      return byName;
    }
    for (FieldDescriptor field : message.getFields()) {
      if (field.getJsonName().equals(key)) {
        return field;
      }
    }
    return null;
  }

  /** Whether a JSON value sets a field: not absent, null, an empty array or a zero/unset enum. */
  private static boolean isSet(@Nullable JsonElement value) {
    if (value == null || value.isJsonNull()) {
      return false;
    }
    if (value instanceof JsonArray array) {
      return !array.isEmpty();
    }
    if (value.isJsonPrimitive()) {
      String text = value.getAsString();
      return !text.equals("0") && !text.equals("STATUS_CODE_UNSET");
    }
    return true;
  }
}
