package io.tracemetrics.e2e.ecosystem;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.testsupport.peers.Collector;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * test-support's Collector launcher as the benchmarks use it: a restart is a new process on the same
 * port, ready again; a kill ends it at once.
 */
class CollectorLauncherIT {

  @Test
  void restartRunsANewProcessOnTheSamePortAndKillEndsIt() {
    try (Collector collector = Collector.start("""
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:${PORT_1}
        exporters:
          debug:
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [debug]
        """)) {
      long first = collector.pid();
      assertThat(listens(collector.port(1))).isTrue();

      collector.restart();

      assertThat(collector.pid()).isNotEqualTo(first);
      assertThat(ProcessHandle.of(first)).isEmpty();
      assertThat(listens(collector.port(1))).isTrue();
      assertThat(collector.log().split("Everything is ready", -1)).as("one ready line per run").hasSize(3);

      long second = collector.pid();
      collector.kill();

      assertThat(ProcessHandle.of(second)).isEmpty();
      assertThat(listens(collector.port(1))).isFalse();
    }
  }

  private static boolean listens(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
