package io.tracemetrics.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpRequestPolicyTest {

  @ParameterizedTest(name = "{0} {1} type={2} encoding={3} authorized={4} -> {5}")
  @CsvSource(nullValues = "null", value = {
      "POST, /v1/traces, application/x-protobuf, null, true, 200, PROTOBUF, false",
      "POST, /v1/traces, application/x-protobuf, gzip, true, 200, PROTOBUF, true",
      "POST, /v1/traces, application/json, GZIP, true, 200, JSON, true",
      "POST, /v1/traces, application/json; charset=utf-8, identity, true, 200, JSON, false",
      "POST, /v1/traces, Application/X-Protobuf, null, true, 200, PROTOBUF, false",
      // refusals, in the order they apply
      "POST, /v1/metrics, application/x-protobuf, null, true, 404, PROTOBUF, false",
      "GET, /v1/metrics, null, null, false, 404, null, false",
      "GET, /v1/traces, application/x-protobuf, null, true, 405, PROTOBUF, false",
      "PUT, /v1/traces, null, null, false, 405, null, false",
      "POST, /v1/traces, application/x-protobuf, null, false, 401, PROTOBUF, false",
      "POST, /v1/traces, text/plain, null, false, 401, null, false",
      "POST, /v1/traces, text/plain, null, true, 415, null, false",
      "POST, /v1/traces, null, null, true, 415, null, false",
      "POST, /v1/traces, application/x-protobuf, br, true, 415, PROTOBUF, false",
      "POST, /v1/traces/, application/x-protobuf, null, true, 404, PROTOBUF, false",
  })
  void admitsOrRefusesByRequestLineAndHeaders(String method, String path, String contentType,
      String encoding, boolean authorized, int status, BodyFormat format, boolean gzip) {
    HttpRequestPolicy.Admission admission =
        HttpRequestPolicy.admit(method, path, contentType, encoding, authorized);

    assertThat(admission.status()).isEqualTo(status);
    assertThat(admission.format()).isEqualTo(format);
    assertThat(admission.gzip()).isEqualTo(gzip);
    assertThat(admission.admitted()).isEqualTo(status == 200);
    if (status != 200) {
      assertThat(admission.message()).isNotBlank();
    }
  }
}
