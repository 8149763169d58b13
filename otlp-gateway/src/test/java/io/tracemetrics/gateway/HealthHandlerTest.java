package io.tracemetrics.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthHandlerTest {

  @Test
  void healthAnswersFollowReachability() {
    AtomicBoolean up = new AtomicBoolean(true);
    HealthHandler handler = new HealthHandler(up::get, Instant.parse("2025-01-02T03:04:05Z"));

    assertThat(handler.answer("GET", "/health/status").status()).isEqualTo(200);
    assertThat(new String(handler.answer("GET", "/health/status").body()))
        .isEqualTo("{\"status\":\"Server available\",\"upSince\":\"2025-01-02T03:04:05Z\"}");
    up.set(false);
    assertThat(handler.answer("GET", "/health/status").status()).isEqualTo(503);
    assertThat(handler.answer("POST", "/health/status").status()).isEqualTo(405);
    assertThat(handler.answer("GET", "/other").status()).isEqualTo(404);
  }
}
