package io.tracemetrics.gateway;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command-line entry point: options from flags and environment, runs until SIGTERM, then closes gracefully. */
public final class GatewayMain {
  static {
    // Our own config file name, so that embedding this jar never shadows the embedder's log4j2.xml.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "otlp-gateway-log4j2.xml");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

  private GatewayMain() {}

  public static void main(String[] args) {
    GatewayOptions options;
    OtlpGateway gateway;
    try {
      options = GatewayOptions.parse(args, System.getenv());
      if (options.help()) {
        System.out.println(GatewayOptions.usage());
        return;
      }
      LOG.info("effective configuration:{}", options.describe());
      gateway = options.toBuilder().build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("otlp-gateway: " + e.getMessage() + " (see --help)");
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutdown requested");
      gateway.close();
      stopped.countDown();
    }, "otlp-gateway-shutdown"));
    try {
      gateway.start();
    } catch (Exception e) {
      LOG.error("cannot start the gateway", e);
      System.exit(1);
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
