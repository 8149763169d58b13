package io.tracemetrics.bench.compare.load;

/**
 * The shape of the benchmark's traffic: which series exist and how spans spread over them. A series is
 * (service, span name, span kind, status code), the key of the Collector's spanmetrics connector.
 *
 * <p>Every (service, name, kind) has an UNSET series. A fraction {@code errorNameFraction} of the span names
 * (the same names in every service, chosen from {@code seed}) also answer with errors: {@code errorRate} of
 * their spans are ERROR, which gives each of them a sparse ERROR series beside its busy UNSET one, as in real
 * traffic.
 *
 * @param services number of services ({@code svc-NNNN}), one per request
 * @param spanNames span names per service ({@code GET /api/rNNNN})
 * @param kinds 1 (SERVER) or 2 (SERVER and CLIENT)
 * @param errorNameFraction share of the span names that also produce errors, 0 for none
 * @param errorRate share of an error name's spans that are ERROR, in (0, 0.5]; 0 for no errors
 * @param spansPerRequest spans in each export request
 * @param seed chooses the error names, ids and durations
 */
public record TrafficMix(int services, int spanNames, int kinds, double errorNameFraction, double errorRate,
    int spansPerRequest, long seed) {
  static final int MAX_SERVICES = 10_000;
  static final int MAX_SPAN_NAMES = 10_000;

  public TrafficMix {
    require(services >= 1 && services <= MAX_SERVICES, "services must be in 1.." + MAX_SERVICES + ", got " + services);
    require(spanNames >= 1 && spanNames <= MAX_SPAN_NAMES,
        "spanNames must be in 1.." + MAX_SPAN_NAMES + ", got " + spanNames);
    require(kinds == 1 || kinds == 2, "kinds must be 1 (SERVER) or 2 (SERVER and CLIENT), got " + kinds);
    require(errorNameFraction >= 0 && errorNameFraction <= 1,
        "errorNameFraction must be in [0, 1], got " + errorNameFraction);
    require(errorRate >= 0 && errorRate <= 0.5,
        "errorRate must be in [0, 0.5] (an error name keeps a busier UNSET series), got " + errorRate);
    require(spansPerRequest >= 1 && spansPerRequest <= 100_000,
        "spansPerRequest must be in 1..100000, got " + spansPerRequest);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * A mix of about {@code approxSeries} (service, name, kind) combinations: 2 kinds, and services × names
   * growing together (10 × 50 for 1k, 100 × 500 for 100k, 500 × 1000 for 1M); 5 % of the names also produce
   * errors, every other span of theirs, so that one pass over the series sends each ERROR series once without
   * skewing the traffic towards the error names: about 2.5 % of all spans are errors. The ERROR series come
   * on top: {@link #series()} is about 1.05 × {@code approxSeries}.
   */
  public static TrafficMix forSeries(long approxSeries, int spansPerRequest, long seed) {
    require(approxSeries >= 2 && approxSeries <= 20_000_000L,
        "approxSeries must be in 2..20000000, got " + approxSeries);
    int kinds = 2;
    double pairs = approxSeries / (double) kinds;
    int names = (int) Math.max(1, Math.min(1000, Math.round(Math.sqrt(5 * pairs))));
    int services = (int) Math.max(1, Math.min(MAX_SERVICES, Math.round(pairs / names)));
    return new TrafficMix(services, names, kinds, 0.05, 0.5, spansPerRequest, seed);
  }

  /** How many of the span names also produce ERROR spans: at least one when errors are asked for at all. */
  public int errorNames() {
    if (errorNameFraction == 0 || errorRate == 0) {
      return 0;
    }
    return (int) Math.max(1, Math.round(errorNameFraction * spanNames));
  }

  /** Distinct series per service: every (name, kind) UNSET, and every (error name, kind) ERROR. */
  public long seriesPerService() {
    return (long) kinds * (spanNames + errorNames());
  }

  /** The distinct series the mix produces once every request of its {@link RequestSet} has been sent. */
  public long series() {
    return services * seriesPerService();
  }

  /**
   * How many times an error name's (name, kind) comes up in one pass over a service's series: once ERROR and
   * {@code visits - 1} times UNSET, so that {@code errorRate} of its spans are errors. 1 for other names.
   */
  int errorNameVisits() {
    return errorNames() == 0 ? 1 : (int) Math.max(2, Math.round(1 / errorRate));
  }
}
