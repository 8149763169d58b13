package io.tracemetrics.bench.compare.load;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tracemetrics.bench.otlp.GrpcCall;
import io.tracemetrics.bench.otlp.LoadCall;
import io.tracemetrics.bench.otlp.RawHttpCall;
import io.tracemetrics.bench.otlp.SendOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open-loop OTLP load generator: requests are due at a fixed rate whatever the stack under test answers,
 * and the generator keeps an exact account of which series' spans were accepted.
 *
 * <p>Request {@code i} of a run is due at {@code t0 + i / requestRate}; it is request {@code i mod size} of the
 * {@link RequestSet} and goes over HTTP or gRPC by a fixed pattern that gives HTTP {@code httpShare} of them.
 * The senders of each protocol take the due times in order from a shared counter (so the pacer costs no thread
 * of its own), sleep until the time comes and send; one that is busy takes the next due request when it is
 * free. A request that could not be started {@code maxBacklog} after it was due is not sent and counted as
 * {@link StepOutcome#BACKLOG}. Latency runs from the due time to the answer, so a slow stack is not hidden by
 * the generator waiting for it (no coordinated omission).
 *
 * <p>The generator shares the machine with the stack under test: it sleeps until requests are due, sends the
 * pre-encoded bytes (stamped in place, see {@link RequestSet#stamp}) and allocates nothing per request beyond
 * what the transports need. A request is stamped and sent under its {@link RequestSet#lock(int)}, so a
 * request set with fewer requests than senders makes senders wait for each other; build it with
 * {@code minRequests} well above the number of senders.
 *
 * <p>Connections and channels stay open from run to run; {@link #close()} closes them. Runs do not overlap.
 */
public final class OpenLoopLoad implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpenLoopLoad.class);
  /** The longest a sender waits for an answer before the request's fate is unknown. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
  /** Resolution of {@link LoadSettings#httpShare()}. */
  private static final long SHARE_SCALE = 10_000;
  private static final SendOutcome BACKLOG = new SendOutcome(SendOutcome.Verdict.NOT_SENT, StepOutcome.BACKLOG);

  private final RequestSet requests;
  private final LoadSettings settings;
  private final List<LoadCall> httpCalls = new ArrayList<>();
  private final List<LoadCall> grpcCalls = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final AtomicLongArray acceptedTimes;
  private final AtomicLong acceptedSpans = new AtomicLong();
  private final AtomicLong unknownSpans = new AtomicLong();

  public OpenLoopLoad(RequestSet requests, Endpoint endpoint, LoadSettings settings) {
    this.requests = requests;
    this.settings = settings;
    this.acceptedTimes = new AtomicLongArray(requests.size());
    for (int i = 0; i < settings.httpSenders(); i++) {
      httpCalls.add(new RawHttpCall(endpoint.host(), endpoint.httpPort(), ANSWER_TIMEOUT));
    }
    for (int i = 0; i < settings.grpcSenders(); i++) {
      ManagedChannel channel = NettyChannelBuilder.forAddress(endpoint.host(), endpoint.grpcPort())
          .usePlaintext().build();
      channels.add(channel);
      grpcCalls.add(new GrpcCall(channel, ANSWER_TIMEOUT));
    }
    if (requests.size() < settings.httpSenders() + settings.grpcSenders()) {
      LOG.warn("{} requests for {} senders: senders will wait for each other's request; build the request set "
          + "with more minRequests", requests.size(), settings.httpSenders() + settings.grpcSenders());
    }
  }

  /**
   * Offers {@code spansPerSecond} for {@code duration}, then waits for the answers still outstanding (at most
   * {@code maxBacklog} plus the answer timeout of 10 s).
   */
  public synchronized StepOutcome run(double spansPerSecond, Duration duration) throws InterruptedException {
    if (!(spansPerSecond > 0) || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("need a positive rate and duration, got " + spansPerSecond + " spans/s for "
          + duration);
    }
    double seconds = duration.toNanos() / 1e9;
    double requestRate = spansPerSecond * requests.size() / requests.totalSpans();
    Pace pace = new Pace(Math.round(seconds * requestRate), 1e9 / requestRate,
        Math.round(settings.httpShare() * SHARE_SCALE), settings.maxBacklog().toNanos());
    List<Sender> senders = new ArrayList<>();
    AtomicLong httpTickets = new AtomicLong();
    AtomicLong grpcTickets = new AtomicLong();
    long perSender = pace.total / Math.max(1, httpCalls.size() + grpcCalls.size()) + 16;
    httpCalls.forEach(call -> senders.add(new Sender(call, true, httpTickets, pace, perSender)));
    grpcCalls.forEach(call -> senders.add(new Sender(call, false, grpcTickets, pace, perSender)));
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < senders.size(); i++) {
      Thread thread = new Thread(senders.get(i), "open-loop-sender-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
    pace.start(System.nanoTime() + 20_000_000L);
    threads.forEach(Thread::start);
    long deadline = pace.t0 + duration.toNanos() + settings.maxBacklog().toNanos() + ANSWER_TIMEOUT.toNanos()
        + 5_000_000_000L;
    for (Thread thread : threads) {
      thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      if (thread.isAlive()) {
        LOG.warn("{} still waits for an answer after the run; its outcome is not counted", thread.getName());
      }
    }
    return outcome(spansPerSecond, duration, senders);
  }

  private StepOutcome outcome(double spansPerSecond, Duration duration, List<Sender> senders) {
    Map<String, Long> byOutcome = new HashMap<>();
    long accepted = 0;
    long refused = 0;
    long unknown = 0;
    List<long[]> latencies = new ArrayList<>();
    for (Sender sender : senders) {
      synchronized (sender) {
        for (Map.Entry<SendOutcome, long[]> entry : sender.spans.entrySet()) {
          long spans = entry.getValue()[0];
          byOutcome.merge(entry.getKey().label(), spans, Long::sum);
          switch (entry.getKey().verdict()) {
            case ACCEPTED -> accepted += spans;
            case REFUSED, NOT_SENT -> refused += spans;
            case UNKNOWN -> unknown += spans;
          }
        }
        latencies.add(Arrays.copyOf(sender.latencies, sender.latencyCount));
      }
    }
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    double seconds = duration.toNanos() / 1e9;
    return new StepOutcome(spansPerSecond, duration, accepted + refused + unknown, accepted, refused, unknown,
        byOutcome, percentile(all, 0.50), percentile(all, 0.99), accepted / seconds);
  }

  private static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, rank)] / 1e6;
  }

  /** Spans accepted over all runs of this generator. */
  public long acceptedSpans() {
    return acceptedSpans.get();
  }

  /** Spans whose fate is unknown (written, never answered) over all runs of this generator. */
  public long unknownSpans() {
    return unknownSpans.get();
  }

  /** Spans accepted over all runs, by series id of the {@link RequestSet}. */
  public long[] acceptedPerSeries() {
    long[] perSeries = new long[requests.seriesCount()];
    for (int r = 0; r < requests.size(); r++) {
      long times = acceptedTimes.get(r);
      if (times > 0) {
        requests.addSeries(r, times, perSeries);
      }
    }
    return perSeries;
  }

  @Override
  public void close() throws InterruptedException {
    for (LoadCall call : httpCalls) {
      try {
        call.close();
      } catch (Exception e) {
        LOG.debug("closing a connection", e);
      }
    }
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * The schedule of one run: request {@code i} is due at {@code t0 + i * nanosPerRequest}. HTTP takes the
   * indices where {@code floor((i + 1) * share)} grows ({@code share} in 1/10000), gRPC the others, so each
   * protocol's k-th request index is computed directly.
   */
  private static final class Pace {
    final long total;
    final double nanosPerRequest;
    final long share;
    final long backlogNanos;
    long t0;
    long epochOffset;

    Pace(long total, double nanosPerRequest, long share, long backlogNanos) {
      this.total = total;
      this.nanosPerRequest = nanosPerRequest;
      this.share = share;
      this.backlogNanos = backlogNanos;
    }

    void start(long t0) {
      this.t0 = t0;
      this.epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    }

    /** The run's request index of the k-th HTTP (or gRPC) request; {@link Long#MAX_VALUE} for none. */
    long index(boolean http, long k) {
      if (http) {
        return share == 0 ? Long.MAX_VALUE : ((k + 1) * SHARE_SCALE + share - 1) / share - 1;
      }
      long rest = SHARE_SCALE - share;
      return rest == 0 ? Long.MAX_VALUE : k * SHARE_SCALE / rest;
    }

    long due(long index) {
      return t0 + (long) (index * nanosPerRequest);
    }
  }

  /** One sender thread of one run: its connection, its share of the schedule and its own tallies. */
  private final class Sender implements Runnable {
    private final LoadCall call;
    private final boolean http;
    private final AtomicLong tickets;
    private final Pace pace;
    /** Spans by outcome; few distinct outcomes, each counted in place. */
    private final Map<SendOutcome, long[]> spans = new HashMap<>();
    private long[] latencies;
    private int latencyCount;

    Sender(LoadCall call, boolean http, AtomicLong tickets, Pace pace, long expected) {
      this.call = call;
      this.http = http;
      this.tickets = tickets;
      this.pace = pace;
      this.latencies = new long[(int) Math.min(expected, 1 << 20)];
    }

    @Override
    public void run() {
      while (true) {
        long index = pace.index(http, tickets.getAndIncrement());
        if (index >= pace.total) {
          return;
        }
        long due = pace.due(index);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        int request = (int) (index % requests.size());
        if (System.nanoTime() - due > pace.backlogNanos) {
          count(BACKLOG, request, 0);
          continue;
        }
        SendOutcome outcome;
        synchronized (requests.lock(request)) {
          byte[] body = requests.stamp(request, pace.epochOffset + System.nanoTime());
          try {
            outcome = call.send(body);
          } catch (Exception e) {
            outcome = SendOutcome.NO_ANSWER;
          }
        }
        count(outcome, request, System.nanoTime() - due);
      }
    }

    private synchronized void count(SendOutcome outcome, int request, long latency) {
      int n = requests.spans(request);
      spans.computeIfAbsent(outcome, o -> new long[1])[0] += n;
      if (outcome.accepted()) {
        acceptedTimes.incrementAndGet(request);
        acceptedSpans.addAndGet(n);
        if (latencyCount == latencies.length) {
          latencies = Arrays.copyOf(latencies, Math.max(16, latencyCount * 2));
        }
        latencies[latencyCount++] = latency;
      } else if (outcome.verdict() == SendOutcome.Verdict.UNKNOWN) {
        unknownSpans.addAndGet(n);
      }
    }
  }
}
