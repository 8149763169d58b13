package io.tracemetrics.testsupport.junit;

import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.Prometheus;
import java.util.function.Supplier;

/**
 * Starts a {@link Prometheus} before the test class and closes it after, whatever the tests did:
 * {@code @RegisterExtension static final PrometheusExtension PROMETHEUS = new PrometheusExtension();}.
 */
public final class PrometheusExtension extends ComponentExtension<Prometheus.Builder, Prometheus> {

  /** A store with every default. */
  public PrometheusExtension() {
    this(Prometheus::builder);
  }

  /**
   * A store from {@code builder}, called in {@code beforeAll}, so scrape targets may be ports that other
   * extensions registered before this one (see {@code @Order}) opened.
   */
  public PrometheusExtension(Supplier<Prometheus.Builder> builder) {
    super(builder, Prometheus.Builder::start, "Prometheus");
  }

  /** The running store. */
  public Prometheus store() {
    return instance();
  }

  /** Shortcut for {@code store().query()}. */
  public PromQuery query() {
    return store().query();
  }
}
