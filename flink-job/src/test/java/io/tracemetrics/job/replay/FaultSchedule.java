package io.tracemetrics.job.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The faults of one seed: one to three at random live ticks, at least three ticks apart so that each
 * restart has started reading before the next fault. The job starts at parallelism 1; every savepoint
 * restart switches between 1 and 2.
 */
record FaultSchedule(List<Fault> faults) {

  static FaultSchedule generate(long seed) {
    Random random = new Random(seed * 0x9E3779B97F4A7C15L + 1);
    int count = 1 + random.nextInt(3);
    List<Fault> faults = new ArrayList<>();
    Fault.Kind[] kinds = Fault.Kind.values();
    int tick = 4;
    for (int i = 0; i < count; i++) {
      int span = (Scenario.TICKS - 8 - tick) / (count - i);
      if (span < 3) {
        break;
      }
      tick += 3 + random.nextInt(span - 2);
      faults.add(new Fault(tick, kinds[random.nextInt(kinds.length)]));
    }
    faults.sort(Comparator.comparingInt(Fault::tick));
    return new FaultSchedule(List.copyOf(faults));
  }

  List<Fault> at(int tick) {
    return faults.stream().filter(f -> f.tick() == tick).toList();
  }

  @Override
  public String toString() {
    return faults.toString();
  }
}
