package io.tracemetrics.demo;

import java.util.concurrent.CountDownLatch;

/** {@code scripts/demo.sh}: runs the {@link LocalDemo} in the foreground until interrupted. */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    boolean load = args.length == 1 && args[0].equals("--load");
    if (args.length > 0 && !load) {
      System.out.println(
          "usage: scripts/demo.sh [--load]\n  Starts VictoriaMetrics, Kafka, the OTLP gateway, the Flink job on a"
              + " local MiniCluster and, when installed, Prometheus; stops them all on Ctrl-C.\n"
              + "  --load  also sends a few services' spans (a batch every 200 ms), so there is something to see.");
      System.exit(args[0].equals("--help") || args[0].equals("-h") ? 0 : 2);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    LocalDemo demo = LocalDemo.builder().build();
    TraceGenerator[] generator = new TraceGenerator[1];
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Stopping the demo...");
      if (generator[0] != null) {
        generator[0].close();
      }
      demo.close();
      stopped.countDown();
    }, "demo-shutdown"));
    try {
      demo.start();
    } catch (Exception e) {
      System.err.println("The demo could not start: " + e.getMessage());
      System.exit(1);
    }
    System.out.println(demo.describe());
    if (load) {
      generator[0] = new TraceGenerator(demo.gateway().httpPort()).start();
      System.out.println("Sending demo load: services frontend, checkout and payments.");
    }
    stopped.await();
  }
}
