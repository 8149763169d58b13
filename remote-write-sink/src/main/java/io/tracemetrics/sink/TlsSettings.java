package io.tracemetrics.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A custom trust store for HTTPS endpoints (e.g. a private CA). The file is read where the writer runs,
 * so it must exist on every task manager at that path.
 */
final class TlsSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String trustStorePath;
  private final String trustStorePassword;
  private final String trustStoreType;

  /** @param type a KeyStore type such as PKCS12 or JKS */
  TlsSettings(String trustStorePath, String trustStorePassword, String type) {
    this.trustStorePath = trustStorePath;
    this.trustStorePassword = trustStorePassword;
    this.trustStoreType = type;
  }

  /** An SSL context trusting exactly the certificates of the trust store. */
  SSLContext sslContext() throws IOException {
    try (InputStream in = Files.newInputStream(Path.of(trustStorePath))) {
      KeyStore store = KeyStore.getInstance(trustStoreType);
      store.load(in, trustStorePassword == null ? null : trustStorePassword.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use trust store " + trustStorePath, e);
    }
  }
}
