package io.tracemetrics.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.tracemetrics.testsupport.Await;
import io.tracemetrics.gateway.GatewayClients.GrpcAnswer;
import io.tracemetrics.gateway.RetryingSender.Acknowledged;
import io.tracemetrics.gateway.RetryingSender.Answer;
import io.tracemetrics.gateway.RetryingSender.Attempt;
import io.tracemetrics.testsupport.junit.KafkaBrokerExtension;
import io.tracemetrics.testsupport.kafka.KafkaBroker;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker process is killed while clients keep exporting, then restarted.
 *
 * <p>What is asserted about duplicates, precisely: the gateway documents at-least-once for a request that
 * got a retryable answer (its records may have reached the log even though the acknowledgement did not
 * reach the gateway in time, e.g. the broker wrote them and died before answering; the client then sends
 * them again). A request accepted on its first attempt was written by one producer send, and the idempotent
 * producer de-duplicates its own internal retries, so its spans must be in Kafka exactly once.
 */
class GatewayKafkaOutageIT {
  private static final String TOPIC = "outage";
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void killedBrokerGivesRetryableAnswersAndAfterRestartEveryAcknowledgedSpanIsInKafka() throws Exception {
    KafkaBroker broker = KAFKA.broker();
    broker.createTopic(TOPIC, 2);
    RetryingSender http;
    RetryingSender grpc;
    try (OtlpGateway gateway = TestGateways.builder(broker.bootstrapServers(), TOPIC)
            .sendTimeout(SEND_TIMEOUT)
            .retryAfterSeconds(1)
            .build()
            .start();
        GatewayClients clients = new GatewayClients(gateway)) {
      http = new RetryingSender("http", body -> httpAttempt(clients, body)).start();
      grpc = new RetryingSender("grpc", body -> grpcAttempt(clients, body)).start();
      try (http; grpc) {
        await(() -> http.acknowledgedCount() >= 3 && grpc.acknowledgedCount() >= 3, "both clients exporting", http, grpc);

        broker.kill();
        await(() -> clients.healthStatus() == 503, "health 503 while Kafka is down", http, grpc);
        await(() -> !http.retryableAnswers().isEmpty() && !grpc.retryableAnswers().isEmpty(),
            "retryable answers to both clients", http, grpc);
        assertThat(http.retryableAnswers()).allMatch(a -> a.equals("503 Retry-After: 1"));
        assertThat(grpc.retryableAnswers()).allMatch(a -> a.startsWith("UNAVAILABLE RetryInfo: 1 s"));

        broker.restart();
        await(() -> http.retriedThenAccepted() > 0 && grpc.retriedThenAccepted() > 0,
            "retried requests accepted after the restart", http, grpc);
        int httpAfter = http.acknowledgedCount();
        int grpcAfter = grpc.acknowledgedCount();
        await(() -> http.acknowledgedCount() >= httpAfter + 3 && grpc.acknowledgedCount() >= grpcAfter + 3,
            "both clients exporting again", http, grpc);
        await(() -> clients.healthStatus() == 200, "health 200 after the restart", http, grpc);
        http.finish();
        grpc.finish();
      }
    }

    assertThat(http.unexpectedAnswers()).isEmpty();
    assertThat(grpc.unexpectedAnswers()).isEmpty();
    Map<SpanView, Long> inKafka = TopicContent.spans(TopicContent.readAll(broker.bootstrapServers(), TOPIC))
        .stream()
        .collect(Collectors.groupingBy(span -> span, Collectors.counting()));
    List<Acknowledged> acknowledged = Stream.concat(http.acknowledged().stream(), grpc.acknowledged().stream())
        .toList();
    for (Acknowledged request : acknowledged) {
      for (SpanView span : request.spans()) {
        long copies = inKafka.getOrDefault(span, 0L);
        if (request.attempts() == 1) {
          assertThat(copies).as("copies of %s, accepted at the first attempt", span.name()).isEqualTo(1);
        } else {
          assertThat(copies).as("copies of %s, accepted after %d attempts", span.name(), request.attempts())
              .isGreaterThanOrEqualTo(1);
        }
      }
    }
    // Nothing else: only spans of requests the clients sent (a retried one may also be in the log once more).
    List<SpanView> sent = acknowledged.stream().flatMap(r -> r.spans().stream()).toList();
    assertThat(sent).containsAll(inKafka.keySet());
  }

  private static Attempt httpAttempt(GatewayClients clients, byte[] body) {
    HttpResponse<byte[]> answer = clients.postTraces("application/x-protobuf", null, body);
    String retryAfter = answer.headers().firstValue("Retry-After").orElse(null);
    if (answer.statusCode() == 200) {
      return new Attempt(Answer.ACCEPTED, "200");
    }
    String description = answer.statusCode() + " Retry-After: " + retryAfter;
    return new Attempt(answer.statusCode() == 503 && retryAfter != null ? Answer.RETRYABLE : Answer.UNEXPECTED,
        description);
  }

  private static Attempt grpcAttempt(GatewayClients clients, byte[] body) {
    GrpcAnswer answer = clients.exportGrpc(body);
    if (answer.code() == Status.Code.OK) {
      return new Attempt(Answer.ACCEPTED, "OK");
    }
    long delay = answer.retryDelaySeconds();
    String description = answer.code() + " RetryInfo: " + delay + " s";
    return new Attempt(answer.code() == Status.Code.UNAVAILABLE && delay >= 0 ? Answer.RETRYABLE
        : Answer.UNEXPECTED, description + " " + answer.status().getDescription());
  }

  private static void await(BooleanSupplier condition, String what, RetryingSender... senders)
      throws InterruptedException {
    if (!Await.tryUntil(condition::getAsBoolean, Duration.ofSeconds(60), Duration.ofMillis(50))) {
      throw new AssertionError("timed out waiting for " + what + "; " + List.of(senders));
    }
  }
}
