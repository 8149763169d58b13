package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.sink.Bisection.Refused;
import io.tracemetrics.sink.Bisection.Result;
import io.tracemetrics.sink.Bisection.Unsent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BisectionTest {
  /** Refuses, like Prometheus, every request holding a bad series; records what it stored, in order. */
  private static final class FakeReceiver implements Bisection.Sender<String> {
    final Set<Integer> bad;
    final List<Integer> stored = new ArrayList<>();
    int requests;

    FakeReceiver(Set<Integer> bad) {
      this.bad = bad;
    }

    @Override
    public String send(int from, int to) {
      requests++;
      for (int i = from; i < to; i++) {
        if (bad.contains(i)) {
          return "refused [" + from + ", " + to + ")";
        }
      }
      IntStream.range(from, to).forEach(stored::add);
      return null;
    }
  }

  @ParameterizedTest(name = "{0} series, refused {1}: {2} extra requests")
  @CsvSource(delimiter = ';', value = {
      "1;     0;          0",
      "2;     0;          2",
      "2;     1;          2",
      "5;     4;          6",
      "16;    5;          8",
      "16;    0 15;       14",
      "4;     0 1 2 3;    6",
      "1024;  1000;       20",
  })
  void isolatesExactlyTheRefusedSeriesWithTheExpectedRequests(int n, String refused, int expected)
      throws Exception {
    Set<Integer> bad = parse(refused);
    FakeReceiver receiver = new FakeReceiver(bad);

    Result<String> result = Bisection.isolate(n, "whole batch refused", Integer.MAX_VALUE, receiver);

    assertThat(result.extraRequests()).isEqualTo(expected).isEqualTo(receiver.requests)
        .isLessThanOrEqualTo(Bisection.bound(n, bad.size()));
    assertThat(result.refused()).extracting(Refused::series).containsExactlyElementsOf(bad);
    assertThat(receiver.stored).containsExactlyElementsOf(goodSeries(n, bad));
    assertThat(result.unsent()).isEmpty();
  }

  @Test
  void aRefusedSeriesCarriesTheAnswerThatRefusedItAlone() throws Exception {
    Result<String> result = Bisection.isolate(4, "whole", 10, new FakeReceiver(Set.of(2)));

    assertThat(result.refused()).containsExactly(new Refused<>(2, "refused [2, 3)"));
  }

  @Test
  void capStopsTheSplitAndReturnsEverySeriesNotYetSentAsOneRun() throws Exception {
    FakeReceiver receiver = new FakeReceiver(Set.of(5));

    // [0,8) refused, [0,4) stored, [4,8) refused: the cap of 3 is reached; 4..15 are never sent.
    Result<String> result = Bisection.isolate(16, "whole", 3, receiver);

    assertThat(result.extraRequests()).isEqualTo(3);
    assertThat(receiver.stored).containsExactly(0, 1, 2, 3);
    assertThat(result.refused()).isEmpty();
    assertThat(result.unsent()).containsExactly(new Unsent(4, 16));
  }

  @Test
  void zeroExtraRequestsGivesTheWholeBatchUp() throws Exception {
    FakeReceiver receiver = new FakeReceiver(Set.of(1));

    Result<String> result = Bisection.isolate(3, "whole", 0, receiver);

    assertThat(receiver.requests).isZero();
    assertThat(result.unsent()).containsExactly(new Unsent(0, 3));
  }

  @ParameterizedTest(name = "bound({0}, {1}) = {2}")
  @CsvSource({"1, 1, 0", "2, 1, 2", "3, 1, 4", "4, 1, 4", "5, 1, 6", "10000, 1, 28", "10000, 3, 84",
      "4, 4, 6", "10, 100, 18"})
  void boundIsTwoKTimesCeilLog2NAndNeverAboveTwiceNMinusOne(int n, int k, int expected) {
    assertThat(Bisection.bound(n, k)).isEqualTo(expected);
  }

  /**
   * Random batches and refused sets against an oracle that knows which series are bad: every good series
   * is stored exactly once and in batch order, exactly the bad ones are refused, within the bound; with a
   * random cap, every series is stored, refused or unsent, exactly once, and the cap holds.
   */
  @Test
  void randomBatchesStoreEveryGoodSeriesInOrderWithinTheBound() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < 2_000; round++) {
      int n = 1 + random.nextInt(random.nextBoolean() ? 8 : 3_000);
      int k = 1 + random.nextInt(Math.min(n, random.nextBoolean() ? 3 : 40));
      Set<Integer> bad = new TreeSet<>();
      while (bad.size() < k) {
        bad.add(random.nextInt(n));
      }
      int cap = random.nextInt(4) == 0 ? random.nextInt(30) : Integer.MAX_VALUE;
      String context = "seed " + seed + ", round " + round + ", n " + n + ", bad " + bad + ", cap " + cap;
      FakeReceiver receiver = new FakeReceiver(bad);

      Result<String> result = Bisection.isolate(n, "whole", cap, receiver);

      assertThat(result.extraRequests()).as(context).isEqualTo(receiver.requests)
          .isLessThanOrEqualTo(Math.min(cap, Bisection.bound(n, k)));
      List<Integer> unsent = result.unsent().stream()
          .flatMap(u -> IntStream.range(u.from(), u.to()).boxed()).toList();
      List<Integer> refused = result.refused().stream().map(Refused::series).toList();
      assertThat(receiver.stored).as(context).isSorted().doesNotHaveDuplicates().doesNotContainAnyElementsOf(bad);
      assertThat(refused).as(context).isSorted().isSubsetOf(bad);
      List<Integer> all = new ArrayList<>(receiver.stored);
      all.addAll(refused);
      all.addAll(unsent);
      assertThat(all).as(context).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(IntStream.range(0, n).boxed().toList());
      if (cap == Integer.MAX_VALUE) {
        assertThat(unsent).as(context).isEmpty();
        assertThat(refused).as(context).containsExactlyElementsOf(bad);
      }
    }
  }

  private static Set<Integer> parse(String indices) {
    return Arrays.stream(indices.trim().split("\\s+")).map(Integer::valueOf)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<Integer> goodSeries(int n, Set<Integer> bad) {
    return IntStream.range(0, n).filter(i -> !bad.contains(i)).boxed().toList();
  }
}
