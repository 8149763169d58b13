package io.tracemetrics.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProducerSafetyTest {
  @ParameterizedTest(name = "{0}={1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      acks                                  | all        | safe
      acks                                  | ALL        | safe
      acks                                  | -1         | safe
      acks                                  | ' -1 '     | safe
      acks                                  | 1          | acks=1 must be all
      acks                                  | 0          | acks=0 must be all
      acks                                  | leader     | acks=leader must be all
      enable.idempotence                    | true       | safe
      enable.idempotence                    | TRUE       | safe
      enable.idempotence                    | false      | enable.idempotence=false must be true
      enable.idempotence                    | yes        | enable.idempotence=yes must be true
      max.in.flight.requests.per.connection | 1          | safe
      max.in.flight.requests.per.connection | 5          | safe
      max.in.flight.requests.per.connection | 6          | max.in.flight.requests.per.connection=6 must be 1 to 5
      max.in.flight.requests.per.connection | 0          | max.in.flight.requests.per.connection=0 must be 1 to 5
      max.in.flight.requests.per.connection | many       | max.in.flight.requests.per.connection=many is not a number
      retries                               | 2147483647 | safe
      retries                               | 3          | safe
      retries                               | 0          | retries=0 must be positive
      retries                               | -1         | retries=-1 must be positive
      transactional.id                      | gw-1       | transactional.id must not be set
      key.serializer                        | x.Foo      | key.serializer must not be set
      value.serializer                      | x.Foo      | value.serializer must not be set
      security.protocol                     | SASL_SSL   | safe
      delivery.timeout.ms                   | 120000     | safe
      max.request.size                      | 2097152    | safe
      """)
  void passthroughPropertyIsSafeOrRefusedWithItsReason(String key, String value, String expected) {
    if (expected.equals("safe")) {
      assertThat(ProducerSafety.problems(Map.of(key, value))).isEmpty();
    } else {
      assertThat(ProducerSafety.problems(Map.of(key, value))).singleElement().asString().startsWith(expected);
    }
  }

  @ParameterizedTest
  @CsvSource({"acks,1", "enable.idempotence,false", "retries,0"})
  void publisherBuilderRefusesUnsafePropertiesBeforeAProducerExists(String key, String value) {
    assertThatThrownBy(() -> KafkaRecordPublisher.builder().bootstrapServers("localhost:1").property(key, value).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unsafe Kafka producer properties")
        .hasMessageContaining(key + "=" + value);
  }

  @ParameterizedTest
  @CsvSource({"acks,1", "max.in.flight.requests.per.connection,10"})
  void everyProblemIsNamedInOneMessage(String key, String value) {
    assertThatThrownBy(() -> ProducerSafety.check(Map.of(key, value, "transactional.id", "t")))
        .hasMessageContaining(key + "=" + value)
        .hasMessageContaining("transactional.id must not be set");
  }
}
