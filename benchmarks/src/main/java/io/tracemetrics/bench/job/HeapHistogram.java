package io.tracemetrics.bench.job;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Live objects by class (the JVM's {@code GC.class_histogram}, which collects garbage first), and the
 * difference of two, so the benchmark can say which classes hold a series' memory.
 */
final class HeapHistogram {
  /** Bytes and instances of one class. */
  record Entry(String className, long instances, long bytes) {}

  private final Map<String, Entry> byClass;

  private HeapHistogram(Map<String, Entry> byClass) {
    this.byClass = byClass;
  }

  static HeapHistogram take() throws Exception {
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    return new HeapHistogram(parse(text));
  }

  /** Lines such as {@code "   1:    12345    678900  java.lang.String (java.base@17)"}. */
  static Map<String, Entry> parse(String text) {
    Map<String, Entry> byClass = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length >= 4 && fields[0].endsWith(":") && !fields[0].equals("Total")) {
        byClass.put(fields[3], new Entry(fields[3], Long.parseLong(fields[1]), Long.parseLong(fields[2])));
      }
    }
    return byClass;
  }

  /** The classes that grew most from {@code before} to this histogram, largest first. */
  List<Entry> growthSince(HeapHistogram before, int limit) {
    return byClass.values().stream()
        .map(e -> {
          Entry old = before.byClass.getOrDefault(e.className(), new Entry(e.className(), 0, 0));
          return new Entry(e.className(), e.instances() - old.instances(), e.bytes() - old.bytes());
        })
        .sorted((a, b) -> Long.compare(b.bytes(), a.bytes()))
        .limit(limit)
        .toList();
  }
}
