package io.tracemetrics.testsupport.junit;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a component before the test class and closes it after, whatever the tests did. Its builder is
 * called in {@code beforeAll}, so it may use ports that extensions registered before this one (see
 * {@code @Order}) opened.
 */
abstract class ComponentExtension<B, T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

  private final Supplier<B> builder;
  private final Function<B, T> start;
  private final String what;
  private T instance;

  ComponentExtension(Supplier<B> builder, Function<B, T> start, String what) {
    this.builder = requireNonNull(builder, "builder");
    this.start = start;
    this.what = what;
  }

  /** The running component. */
  T instance() {
    if (instance == null) {
      throw new IllegalStateException(what + " is not running: register the extension on a static field"
          + " (@RegisterExtension static final) and use it only inside the test class's lifecycle");
    }
    return instance;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    instance = start.apply(builder.get());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (instance != null) {
      instance.close();
      instance = null;
    }
  }
}
