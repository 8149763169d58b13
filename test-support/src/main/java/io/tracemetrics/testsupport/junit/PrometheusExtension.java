package io.tracemetrics.testsupport.junit;

import static java.util.Objects.requireNonNull;

import io.tracemetrics.testsupport.store.PromQuery;
import io.tracemetrics.testsupport.store.Prometheus;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link Prometheus} before the test class and closes it after, whatever the tests did:
 * {@code @RegisterExtension static final PrometheusExtension PROMETHEUS = new PrometheusExtension();}.
 */
public final class PrometheusExtension implements BeforeAllCallback, AfterAllCallback {

  private final Supplier<Prometheus.Builder> builder;
  private Prometheus store;

  /** A store with every default. */
  public PrometheusExtension() {
    this(Prometheus::builder);
  }

  /**
   * A store from {@code builder}, called in {@code beforeAll}, so scrape targets may be ports that other
   * extensions registered before this one (see {@code @Order}) opened.
   */
  public PrometheusExtension(Supplier<Prometheus.Builder> builder) {
    this.builder = requireNonNull(builder, "builder");
  }

  /** The running store. */
  public Prometheus store() {
    return Instances.started(store, "Prometheus");
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
