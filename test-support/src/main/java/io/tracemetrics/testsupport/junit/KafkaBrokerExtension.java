package io.tracemetrics.testsupport.junit;

import io.tracemetrics.testsupport.kafka.KafkaBroker;
import java.util.function.Supplier;

/**
 * Starts a {@link KafkaBroker} before the test class and closes it after, whatever the tests did:
 * {@code @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();}.
 */
public final class KafkaBrokerExtension extends ComponentExtension<KafkaBroker.Builder, KafkaBroker> {

  /** A broker with every default. */
  public KafkaBrokerExtension() {
    this(KafkaBroker::builder);
  }

  /** A broker from {@code builder}, called in {@code beforeAll}, so it may read other extensions' ports. */
  public KafkaBrokerExtension(Supplier<KafkaBroker.Builder> builder) {
    super(builder, KafkaBroker.Builder::start, "KafkaBroker");
  }

  /** The running broker. */
  public KafkaBroker broker() {
    return instance();
  }

  /** Shortcut for {@code broker().bootstrapServers()}. */
  public String bootstrapServers() {
    return broker().bootstrapServers();
  }
}
