package io.tracemetrics.bench.compare;

import io.tracemetrics.bench.Cpu;
import java.io.IOException;
import java.nio.file.DirectoryStream;
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

  /**
   * CPU seconds and resident memory of one process over the interval; {@code jitCpuSeconds}, part of the
   * CPU seconds, is what a JVM's JIT compiler threads took (0 for other processes): a long-running process
   * has compiled its hot code, so this share says how far from steady state a measured interval still was.
   */
  record Usage(double cpuSeconds, double jitCpuSeconds, long rssBytes, long peakRssBytes) {}

  private final Stack stack;
  private final Map<String, Double> cpuAtStart;
  private final Map<String, Double> jitAtStart;
  private final long wallAtStart;

  private ProcessMeter(Stack stack) {
    this.stack = stack;
    this.cpuAtStart = cpuNow(stack);
    this.jitAtStart = jitNow(stack);
    this.wallAtStart = System.nanoTime();
  }

  static ProcessMeter start(Stack stack) {
    return new ProcessMeter(stack);
  }

  /** Each process's usage since {@link #start}, the load generator's last. */
  Map<String, Usage> stop() {
    Map<String, Double> cpu = cpuNow(stack);
    Map<String, Double> jit = jitNow(stack);
    Map<String, Usage> usage = new LinkedHashMap<>();
    stack.processes().forEach((name, pid) -> usage.put(name, new Usage(
        cpu.get(name) - cpuAtStart.getOrDefault(name, 0.0), jit.get(name) - jitAtStart.getOrDefault(name, 0.0),
        memory(pid, "VmRSS:"), memory(pid, "VmHWM:"))));
    long self = ProcessHandle.current().pid();
    usage.put(GENERATOR, new Usage(cpu.get(GENERATOR) - cpuAtStart.get(GENERATOR),
        jit.get(GENERATOR) - jitAtStart.get(GENERATOR), memory(self, "VmRSS:"), memory(self, "VmHWM:")));
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

  private static Map<String, Double> jitNow(Stack stack) {
    Map<String, Double> jit = new LinkedHashMap<>();
    stack.processes().forEach((name, pid) -> jit.put(name, jitSeconds(pid)));
    jit.put(GENERATOR, jitSeconds(ProcessHandle.current().pid()));
    return jit;
  }

  /** CPU seconds of a JVM's compiler threads ({@code C1/C2 CompilerThreadN}), from {@code /proc/<pid>/task}. */
  static double jitSeconds(long pid) {
    double seconds = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            seconds += Cpu.processSeconds(pid, Long.parseLong(task.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // a thread that ended meanwhile
        }
      }
    } catch (IOException e) {
      // a process that ended, or no /proc
    }
    return seconds;
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
