package io.tracemetrics.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void pickedPortCanBeBound() throws Exception {
    int port = FreePorts.pick();
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void portsPickedTogetherAreDistinctAndFree() {
    int[] ports = FreePorts.pick(50);

    assertThat(ports).doesNotHaveDuplicates();
    assertThat(java.util.Arrays.stream(ports)).allMatch(FreePorts::isFree);
  }

  @Test
  void portInUseIsNotFreeAndIsNotPreferred() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThat(FreePorts.isFree(port)).isFalse();
      assertThat(FreePorts.preferredOrFree(port)).isNotEqualTo(port).isPositive();
    }
  }

  @Test
  void freePreferredPortIsKept() {
    int port = FreePorts.pick();
    assertThat(FreePorts.preferredOrFree(port)).isEqualTo(port);
  }

  @Test
  void portOutOfRangeIsRejected() {
    assertThatThrownBy(() -> FreePorts.isFree(70_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FreePorts.isFree(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
