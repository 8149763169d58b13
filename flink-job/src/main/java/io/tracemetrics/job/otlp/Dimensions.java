package io.tracemetrics.job.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Extra labels taken from span attributes, else resource attributes, as the Collector's spanmetrics
 * connector does. Each is written {@code attribute.name} (omitted when absent) or
 * {@code attribute.name=default}; its label is the name with every character a label cannot hold as an
 * underscore ({@code http.method} → {@code http_method}).
 */
public final class Dimensions implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Labels the job writes itself; a dimension cannot take their names. */
  public static final Set<String> RESERVED =
      Set.of("service_name", "span_name", "span_kind", "status_code", "region", "le", "otel_metric_overflow");

  private final String[] attributes;
  private final String[] labels;
  private final String[] defaults;

  private Dimensions(List<String> specs) {
    int n = specs.size();
    attributes = new String[n];
    labels = new String[n];
    defaults = new String[n];
    for (int i = 0; i < n; i++) {
      String spec = specs.get(i).strip();
      int eq = spec.indexOf('=');
      attributes[i] = eq < 0 ? spec : spec.substring(0, eq).strip();
      defaults[i] = eq < 0 ? "" : spec.substring(eq + 1).strip();
      labels[i] = labelName(attributes[i]);
      if (attributes[i].isEmpty()) {
        throw new IllegalArgumentException("a dimension needs an attribute name: '" + spec + "'");
      }
      if (RESERVED.contains(labels[i]) || labels[i].startsWith("__")) {
        throw new IllegalArgumentException("dimension '" + attributes[i] + "' would overwrite the label "
            + labels[i] + " the job writes itself");
      }
      for (int j = 0; j < i; j++) {
        if (labels[j].equals(labels[i])) {
          throw new IllegalArgumentException("dimensions '" + attributes[j] + "' and '" + attributes[i]
              + "' both become the label " + labels[i]);
        }
      }
    }
  }

  /** @param specs {@code name} or {@code name=default} for each dimension, in label order */
  public static Dimensions of(List<String> specs) {
    return new Dimensions(specs);
  }

  public int size() {
    return labels.length;
  }

  /** The label of dimension i. */
  public String label(int i) {
    return labels[i];
  }

  /** The values for one span: span attribute first, then resource attribute, then the default. */
  String[] extract(List<KeyValue> spanAttributes, List<KeyValue> resourceAttributes) {
    String[] values = new String[labels.length];
    for (int i = 0; i < labels.length; i++) {
      String value = find(spanAttributes, attributes[i]);
      if (value == null) {
        value = find(resourceAttributes, attributes[i]);
      }
      values[i] = value != null ? value : defaults[i];
    }
    return values;
  }

  private static String find(List<KeyValue> attributes, String key) {
    for (KeyValue attribute : attributes) {
      if (attribute.getKey().equals(key)) {
        return text(attribute.getValue());
      }
    }
    return null;
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      default -> null;
    };
  }

  static String labelName(String attribute) {
    StringBuilder out = new StringBuilder(attribute.length());
    for (int i = 0; i < attribute.length(); i++) {
      char c = attribute.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      out.append(allowed ? c : '_');
    }
    if (out.length() > 0 && Character.isDigit(out.charAt(0))) {
      out.insert(0, "key_");
    }
    return out.toString();
  }

  /** The dimension labels, for logs. */
  @Override
  public String toString() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      out.add(attributes[i] + (defaults[i].isEmpty() ? "" : "=" + defaults[i]) + " -> " + labels[i]);
    }
    return out.toString();
  }
}
