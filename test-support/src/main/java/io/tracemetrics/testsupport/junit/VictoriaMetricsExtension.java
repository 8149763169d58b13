package io.tracemetrics.testsupport.junit;

import static java.util.Objects.requireNonNull;

import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link VictoriaMetrics} before the test class and closes it after, whatever the tests did:
 * {@code @RegisterExtension static final VictoriaMetricsExtension VM = new VictoriaMetricsExtension();}.
 */
public final class VictoriaMetricsExtension implements BeforeAllCallback, AfterAllCallback {

  private final Supplier<VictoriaMetrics.Builder> builder;
  private VictoriaMetrics store;

  /** A store with every default. */
  public VictoriaMetricsExtension() {
    this(VictoriaMetrics::builder);
  }

  /** A store from {@code builder}, called in {@code beforeAll}. */
  public VictoriaMetricsExtension(Supplier<VictoriaMetrics.Builder> builder) {
    this.builder = requireNonNull(builder, "builder");
  }

  /** The running store. */
  public VictoriaMetrics store() {
    return Instances.started(store, "VictoriaMetrics");
  }

  /** Shortcut for {@code store().query()}. */
  public PromQuery query() {
    return store().query();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    store = builder.get().start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
