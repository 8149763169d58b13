package io.tracemetrics.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.protobuf.StatusProto;
import io.tracemetrics.gateway.http.HttpAnswer;
import io.tracemetrics.gateway.ingest.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnswersTest {

  @ParameterizedTest(name = "{0} over HTTP -> {1}, Retry-After {2}")
  @CsvSource(nullValues = "null", value = {
      "ACCEPTED, 200, null",
      "KAFKA_UNAVAILABLE, 503, 7",
      "MEMORY_LIMIT, 429, 7",
      "SPAN_TOO_LARGE, 413, null",
  })
  void httpAnswerForOutcome(Outcome outcome, int status, String retryAfter) throws Exception {
    HttpAnswer answer = new HttpAnswers(7).forOutcome(outcome, BodyFormat.PROTOBUF);

    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.headers().get("Retry-After")).isEqualTo(retryAfter);
    assertThat(answer.contentType()).isEqualTo("application/x-protobuf");
    if (status != 200) {
      assertThat(Status.parseFrom(answer.body()).getCode())
          .isEqualTo(HttpAnswers.rpcCode(status).getNumber());
    }
  }

  @ParameterizedTest(name = "{0} over gRPC -> {1}, retry info {2}")
  @CsvSource({
      "KAFKA_UNAVAILABLE, UNAVAILABLE, true",
      "MEMORY_LIMIT, UNAVAILABLE, true",
      "SPAN_TOO_LARGE, INVALID_ARGUMENT, false",
  })
  void grpcStatusForRefusal(Outcome outcome, io.grpc.Status.Code code, boolean retryInfo) {
    var error = new GrpcAnswers(7).refusal(outcome);

    assertThat(error.getStatus().getCode()).isEqualTo(code);
    Status details = StatusProto.fromThrowable(error);
    assertThat(details.getDetailsList().stream().anyMatch(d -> d.is(RetryInfo.class))).isEqualTo(retryInfo);
  }

  @ParameterizedTest(name = "{0} refused as JSON has a JSON Status body")
  @CsvSource({"400", "413", "415", "503"})
  void jsonRequestsGetJsonErrors(int status) {
    HttpAnswer answer = HttpAnswers.error(status, "why", BodyFormat.JSON);

    assertThat(answer.contentType()).isEqualTo("application/json");
    assertThat(new String(answer.body())).contains("\"message\":\"why\"");
  }
}
