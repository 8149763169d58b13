package io.tracemetrics.testsupport.junit;

import static java.util.Objects.requireNonNull;

import io.tracemetrics.testsupport.kafka.KafkaBroker;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link KafkaBroker} before the test class and closes it after, whatever the tests did:
 * {@code @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();}.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

  private final Supplier<KafkaBroker.Builder> builder;
  private KafkaBroker broker;

  /** A broker with every default. */
  public KafkaBrokerExtension() {
    this(KafkaBroker::builder);
  }

  /** A broker from {@code builder}, called in {@code beforeAll}, so it may read other extensions' ports. */
  public KafkaBrokerExtension(Supplier<KafkaBroker.Builder> builder) {
    this.builder = requireNonNull(builder, "builder");
  }

  /** The running broker. */
  public KafkaBroker broker() {
    return Instances.started(broker, "KafkaBroker");
  }

  /** Shortcut for {@code broker().bootstrapServers()}. */
  public String bootstrapServers() {
    return broker().bootstrapServers();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = builder.get().start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }
}
