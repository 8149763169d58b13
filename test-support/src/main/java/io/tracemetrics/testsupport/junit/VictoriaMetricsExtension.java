package io.tracemetrics.testsupport.junit;

import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.VictoriaMetrics;
import java.util.function.Supplier;

/**
 * Starts a {@link VictoriaMetrics} before the test class and closes it after, whatever the tests did:
 * {@code @RegisterExtension static final VictoriaMetricsExtension VM = new VictoriaMetricsExtension();}.
 */
public final class VictoriaMetricsExtension extends ComponentExtension<VictoriaMetrics.Builder, VictoriaMetrics> {

  /** A store with every default. */
  public VictoriaMetricsExtension() {
    this(VictoriaMetrics::builder);
  }

  /** A store from {@code builder}, called in {@code beforeAll}. */
  public VictoriaMetricsExtension(Supplier<VictoriaMetrics.Builder> builder) {
    super(builder, VictoriaMetrics.Builder::start, "VictoriaMetrics");
  }

  /** The running store. */
  public VictoriaMetrics store() {
    return instance();
  }

  /** Shortcut for {@code store().query()}. */
  public PromQuery query() {
    return store().query();
  }
}
