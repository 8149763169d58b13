package io.tracemetrics.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * CPU time, the one meter of every benchmark: of another process and of the whole machine from {@code /proc}
 * (Linux; user plus system), of this JVM, and of threads of this JVM by name.
 */
public final class Cpu {
  /** USER_HZ: the unit of utime and stime; 100 on every mainstream Linux build. */
  private static final double TICKS_PER_SECOND = 100.0;
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private Cpu() {}

  /** Whether {@link #processSeconds} and {@link #machineBusySeconds} can read {@code /proc}. */
  public static boolean procAvailable() {
    return Files.isReadable(Path.of("/proc/self/stat"));
  }

  /** CPU seconds of a process ({@code /proc/<pid>/stat}); NaN where not readable. */
  public static double processSeconds(long pid) {
    return statSeconds(Path.of("/proc/" + pid + "/stat"));
  }

  /** CPU seconds of one thread of a process ({@code /proc/<pid>/task/<tid>/stat}); NaN where not readable. */
  public static double processSeconds(long pid, long tid) {
    return statSeconds(Path.of("/proc/" + pid + "/task/" + tid + "/stat"));
  }

  private static double statSeconds(Path file) {
    try {
      String stat = Files.readString(file);
      // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(fields[11]);
      long stime = Long.parseLong(fields[12]);
      return (utime + stime) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU seconds the whole machine spent busy since boot, over all cores; NaN where not readable. */
  public static double machineBusySeconds() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] fields = cpu.trim().split("\\s+");
      long busy = 0;
      // user nice system idle iowait irq softirq steal (guest time is already in user)
      for (int i = 1; i <= 8 && i < fields.length; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(fields[i]);
        }
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU seconds of this JVM only: child processes (a broker, a store) are not counted. */
  public static double jvmSeconds() {
    return OS.getProcessCpuTime() / 1e9;
  }

  /** CPU nanoseconds of the calling thread. */
  public static long currentThreadNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** CPU nanoseconds of the live threads whose name matches; a thread that already ended is not counted. */
  public static long threadNanos(Predicate<String> name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> name.test(t.getName()))
        .mapToLong(t -> Math.max(0, THREADS.getThreadCpuTime(t.getId()))).sum();
  }
}
