package io.tracemetrics.bench.compare;

import io.tracemetrics.bench.Cpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds and memory of a stack's processes over one measured interval, from {@code /proc}: started with
 * {@link #start}, read with {@link #stop}. The load generator (this JVM) is metered too, apart.
 */
final class ProcessMeter {
  static final String GENERATOR = "load generator";

  /** CPU seconds and resident memory of one process over the interval. */
  record Usage(double cpuSeconds, long rssBytes, long peakRssBytes) {}

  private final Stack stack;
  private final Map<String, Double> cpuAtStart;
  private final long wallAtStart;

  private ProcessMeter(Stack stack) {
    this.stack = stack;
    this.cpuAtStart = cpuNow(stack);
    this.wallAtStart = System.nanoTime();
  }

  static ProcessMeter start(Stack stack) {
    return new ProcessMeter(stack);
  }

  /** Each process's usage since {@link #start}, the load generator's last. */
  Map<String, Usage> stop() {
    Map<String, Double> cpu = cpuNow(stack);
    Map<String, Usage> usage = new LinkedHashMap<>();
    stack.processes().forEach((name, pid) -> usage.put(name, new Usage(
        cpu.get(name) - cpuAtStart.getOrDefault(name, 0.0), memory(pid, "VmRSS:"), memory(pid, "VmHWM:"))));
    usage.put(GENERATOR, new Usage(cpu.get(GENERATOR) - cpuAtStart.get(GENERATOR),
        memory(ProcessHandle.current().pid(), "VmRSS:"), memory(ProcessHandle.current().pid(), "VmHWM:")));
    return usage;
  }

  double wallSeconds() {
    return (System.nanoTime() - wallAtStart) / 1e9;
  }

  /** Sum of the stack's processes' CPU seconds in a usage map (the generator excluded). */
  static double stackCpuSeconds(Map<String, Usage> usage) {
    return usage.entrySet().stream().filter(e -> !e.getKey().equals(GENERATOR))
        .mapToDouble(e -> e.getValue().cpuSeconds()).sum();
  }

  /** Sum of the stack's processes' resident memory now (the generator excluded). */
  static long stackRssBytes(Map<String, Usage> usage) {
    return usage.entrySet().stream().filter(e -> !e.getKey().equals(GENERATOR))
        .mapToLong(e -> e.getValue().rssBytes()).sum();
  }

  private static Map<String, Double> cpuNow(Stack stack) {
    Map<String, Double> cpu = new LinkedHashMap<>();
    stack.processes().forEach((name, pid) -> cpu.put(name, Cpu.processSeconds(pid)));
    cpu.put(GENERATOR, Cpu.jvmSeconds());
    return cpu;
  }

  /** A {@code /proc/<pid>/status} line in bytes (the kernel writes kB), or -1 where not readable. */
  static long memory(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // a process that ended, or no /proc: reported as unknown
    }
    return -1;
  }
}
