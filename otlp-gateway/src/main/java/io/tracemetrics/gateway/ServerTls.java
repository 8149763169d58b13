package io.tracemetrics.gateway;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Server-side TLS from PEM files, read once at start: a JDK {@link SSLContext} for the OTLP/HTTP server
 * and a Netty {@link SslContext} for OTLP/gRPC, both from the same parsed key and certificates so that
 * both ports accept and refuse exactly the same clients. With a client CA, clients must present a
 * certificate it signed (mutual TLS).
 */
final class ServerTls {
  private static final char[] NO_PASSWORD = new char[0];

  private final SSLContext sslContext;
  private final SslContext grpcSslContext;
  private final boolean clientAuthRequired;

  private ServerTls(SSLContext sslContext, SslContext grpcSslContext, boolean clientAuthRequired) {
    this.sslContext = sslContext;
    this.grpcSslContext = grpcSslContext;
    this.clientAuthRequired = clientAuthRequired;
  }

  /**
   * Reads and checks the files.
   *
   * @param certFile PEM certificate chain, the server's certificate first
   * @param keyFile PEM private key (PKCS#8, or PKCS#1 RSA)
   * @param clientCaFile PEM CA bundle clients' certificates must chain to; null = no client certificates
   * @throws TlsConfigException naming the file when one is unreadable or invalid
   */
  static ServerTls load(Path certFile, Path keyFile, @Nullable Path clientCaFile) {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    List<X509Certificate> chain = PemFiles.certificates(certFile, "tlsCertFile");
    PrivateKey key = PemFiles.privateKey(keyFile, "tlsKeyFile");
    List<X509Certificate> clientCas =
        clientCaFile == null ? List.of() : PemFiles.certificates(clientCaFile, "tlsClientCaFile");
    X509Certificate[] chainArray = chain.toArray(new X509Certificate[0]);
    if (!KeyPairCheck.matches(key, chain.get(0))) {
      throw new TlsConfigException("tlsKeyFile " + keyFile + " does not match the first certificate of "
          + "tlsCertFile " + certFile);
    }
    try {
      SSLContext jdk = SSLContext.getInstance("TLS");
      jdk.init(keyManagers(key, chainArray).getKeyManagers(),
          clientCas.isEmpty() ? null : trustManagers(clientCas).getTrustManagers(), null);
      SslContextBuilder netty = GrpcSslContexts.configure(SslContextBuilder.forServer(key, chainArray));
      if (!clientCas.isEmpty()) {
        netty.trustManager(clientCas.toArray(new X509Certificate[0])).clientAuth(ClientAuth.REQUIRE);
      }
      return new ServerTls(jdk, netty.build(), !clientCas.isEmpty());
    } catch (GeneralSecurityException | SSLException | IllegalArgumentException e) {
      // Typically the key does not match the certificate; the message of the cause names no key material.
      throw new TlsConfigException("tlsCertFile " + certFile + " / tlsKeyFile " + keyFile
          + ": cannot build a TLS context (" + e.getMessage() + ")", e);
    }
  }

  boolean clientAuthRequired() {
    return clientAuthRequired;
  }

  /** For the OTLP/gRPC server ({@code NettyServerBuilder.sslContext}). */
  SslContext grpcSslContext() {
    return grpcSslContext;
  }

  /** A server-mode engine for one OTLP/HTTP connection, requiring a client certificate under mTLS. */
  SSLEngine newHttpEngine() {
    SSLEngine engine = sslContext.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setNeedClientAuth(clientAuthRequired);
    return engine;
  }

  private static KeyManagerFactory keyManagers(PrivateKey key, X509Certificate[] chain)
      throws GeneralSecurityException {
    KeyStore store = emptyStore();
    store.setKeyEntry("server", key, NO_PASSWORD, chain);
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, NO_PASSWORD);
    return factory;
  }

  private static TrustManagerFactory trustManagers(List<X509Certificate> cas) throws GeneralSecurityException {
    KeyStore store = emptyStore();
    for (int i = 0; i < cas.size(); i++) {
      store.setCertificateEntry("client-ca-" + i, cas.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create an in-memory key store", e);
    }
    return store;
  }
}
