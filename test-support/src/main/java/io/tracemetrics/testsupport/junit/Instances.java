package io.tracemetrics.testsupport.junit;

/** The one check every extension makes before handing out its instance. */
final class Instances {

  private Instances() {}

  static <T> T started(T instance, String what) {
    if (instance == null) {
      throw new IllegalStateException(what + " is not running: register the extension on a static field"
          + " (@RegisterExtension static final) and use it only inside the test class's lifecycle");
    }
    return instance;
  }
}
