package io.tracemetrics.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.gateway.http.HttpAnswer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BearerAuthAndCorsTest {

  @ParameterizedTest(name = "token {0}, header {1} -> {2}")
  @CsvSource(nullValues = "null", value = {
      "null, null, true",
      "'', 'Bearer x', true",
      "s3cret, 'Bearer s3cret', true",
      "s3cret, 'bearer s3cret', true",
      "s3cret, 'Bearer s3cre', false",
      "s3cret, 's3cret', false",
      "s3cret, 'Basic s3cret', false",
      "s3cret, null, false",
      "s3cret, 'Bearer ', false",
  })
  void bearerToken(String token, String header, boolean allowed) {
    assertThat(new BearerAuth(token).allows(header)).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "origins {0}: {1} preflight from {2} for {3} -> {4}")
  @CsvSource(nullValues = "null", value = {
      "'', OPTIONS, https://app.example, POST, 0",
      "https://app.example, OPTIONS, https://app.example, POST, 204",
      "https://app.example, OPTIONS, https://evil.example, POST, 403",
      "https://app.example, OPTIONS, https://app.example, DELETE, 403",
      "*, OPTIONS, https://any.example, POST, 204",
      "*, OPTIONS, https://any.example, null, 0",
      "*, POST, https://any.example, POST, 0",
  })
  void corsPreflight(String origins, String method, String origin, String requestMethod, int status) {
    CorsPolicy cors = new CorsPolicy(origins.isEmpty() ? List.of() : List.of(origins.split(",")));

    Optional<HttpAnswer> answer = cors.preflight(method, origin, requestMethod);

    assertThat(answer.map(HttpAnswer::status).orElse(0)).isEqualTo(status);
    if (status == 204) {
      assertThat(answer.get().headers()).containsEntry("Access-Control-Allow-Origin", origin);
    }
  }

  @ParameterizedTest(name = "origins {0}, origin {1} -> allow header {2}")
  @CsvSource(nullValues = "null", value = {
      "'', https://app.example, false",
      "https://app.example, https://app.example, true",
      "https://app.example, null, false",
      "https://app.example, https://other.example, false",
  })
  void corsHeadersOnActualAnswers(String origins, String origin, boolean decorated) {
    CorsPolicy cors = new CorsPolicy(origins.isEmpty() ? List.of() : List.of(origins));

    HttpAnswer answer = cors.decorate(HttpAnswer.text(200, "ok"), origin);

    assertThat(answer.headers().containsKey("Access-Control-Allow-Origin")).isEqualTo(decorated);
  }
}
