package io.tracemetrics.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Picks free TCP ports on 127.0.0.1 for components that need their port written into a config file before
 * they start (Kafka listeners, Prometheus targets), so binding port 0 in the component itself is not an option.
 *
 * <p>A port picked here is free when this returns; another process may take it before the component binds
 * it. The launchers fail with the component's log when that happens, which is rare enough for tests.
 */
public final class FreePorts {

  private FreePorts() {}

  /** Returns a port that the kernel just handed out as ephemeral on 127.0.0.1. */
  public static int pick() {
    try (ServerSocket socket = new ServerSocket()) {
      // Without SO_REUSEADDR the port would sit in TIME_WAIT and the component could not bind it at once.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pick a free port on 127.0.0.1", e);
    }
  }

  /**
   * Returns {@code count} distinct free ports: each socket stays bound until all are, so the kernel cannot
   * hand the same port out twice (as separate {@link #pick()} calls sometimes do).
   */
  public static int[] pick(int count) {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket();
        sockets[i].setReuseAddress(true);
        sockets[i].bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pick " + count + " free ports on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          try {
            socket.close();
          } catch (IOException e) {
            // closing a listening socket that never accepted: nothing to lose
          }
        }
      }
    }
  }

  /** Returns {@code preferred} when it can be bound on 127.0.0.1 now, otherwise a {@link #pick() free} one. */
  public static int preferredOrFree(int preferred) {
    return isFree(preferred) ? preferred : pick();
  }

  /** Whether {@code port} can be bound on 127.0.0.1 right now. */
  public static boolean isFree(int port) {
    if (port <= 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
