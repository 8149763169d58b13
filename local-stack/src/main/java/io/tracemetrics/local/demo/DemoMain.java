package io.tracemetrics.local.demo;

import java.util.concurrent.CountDownLatch;

/** {@code scripts/demo.sh}: runs the {@link LocalDemo} in the foreground until interrupted. */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      System.out.println(
          "usage: scripts/demo.sh\n  Starts VictoriaMetrics, Kafka, the OTLP gateway, the Flink job on a local"
              + " MiniCluster and, when installed, Prometheus; stops them all on Ctrl-C.");
      System.exit(args[0].equals("--help") || args[0].equals("-h") ? 0 : 2);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    LocalDemo demo = LocalDemo.builder().build();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Stopping the demo...");
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
    stopped.await();
  }
}
