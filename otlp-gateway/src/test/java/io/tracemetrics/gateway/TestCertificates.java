package io.tracemetrics.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made with the {@code openssl} CLI at test time: a CA, a server certificate for
 * 127.0.0.1/localhost and a client certificate signed by it, and a client certificate from another CA.
 */
public final class TestCertificates {
  public final Path caCert;
  public final Path serverCert;
  public final Path serverKey;
  public final Path clientCert;
  public final Path clientKey;
  public final Path strangerCert;
  public final Path strangerKey;
  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
    caCert = dir.resolve("ca.pem");
    serverCert = dir.resolve("server.pem");
    serverKey = dir.resolve("server.key");
    clientCert = dir.resolve("client.pem");
    clientKey = dir.resolve("client.key");
    strangerCert = dir.resolve("stranger.pem");
    strangerKey = dir.resolve("stranger.key");
  }

  /** Creates everything in {@code dir}; fails (does not skip) when openssl is missing. */
  public static TestCertificates create(Path dir) throws IOException, InterruptedException {
    TestCertificates pki = new TestCertificates(dir);
    pki.selfSignedCa("ca", "test-ca");
    pki.selfSignedCa("other-ca", "other-ca");
    Files.writeString(dir.resolve("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    pki.signed("server", "localhost", "ca", "server.ext", "ec");
    pki.signed("client", "otlp-client", "ca", "client.ext", "rsa:2048");
    pki.signed("stranger", "stranger", "other-ca", "client.ext", "ec");
    return pki;
  }

  /** Runs openssl in the PKI's directory; returns its exit code after asserting it ran at all. */
  public int openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("openssl.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("these tests need the openssl command line tool on the PATH "
          + "(Debian: apt-get install openssl)", e);
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("openssl timed out: " + command);
    }
    return process.exitValue();
  }

  private void run(String... args) throws IOException, InterruptedException {
    if (openssl(args) != 0) {
      throw new IllegalStateException("openssl failed: " + String.join(" ", args) + "\n"
          + Files.readString(dir.resolve("openssl.log"), StandardCharsets.UTF_8));
    }
  }

  private void selfSignedCa(String name, String commonName) throws IOException, InterruptedException {
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + commonName);
  }

  private void signed(String name, String commonName, String ca, String extFile, String keyType)
      throws IOException, InterruptedException {
    List<String> req = new ArrayList<>(List.of("req", "-new", "-newkey", keyType));
    if (keyType.equals("ec")) {
      req.addAll(List.of("-pkeyopt", "ec_paramgen_curve:P-256"));
    }
    req.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName));
    run(req.toArray(new String[0]));
    run("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
        "-out", name + ".pem", "-days", "2", "-extfile", extFile);
  }

  /** A client context trusting the test CA, presenting {@code cert}/{@code key} when given. */
  public SSLContext clientContext(@Nullable Path cert, @Nullable Path key) throws GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    load(trust);
    trust.setCertificateEntry("ca", PemFiles.certificates(caCert, "ca").get(0));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (cert != null && key != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      load(keys);
      PrivateKey privateKey = PemFiles.privateKey(key, "key");
      keys.setKeyEntry("client", privateKey, new char[0],
          PemFiles.certificates(cert, "cert").toArray(new X509Certificate[0]));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static void load(KeyStore store) throws GeneralSecurityException {
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
