package io.tracemetrics.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PEM parsing and its error messages, with keys and certificates made by openssl. */
class PemFilesTest {
  @TempDir static Path dir;
  private static TestCertificates pki;

  @BeforeAll
  static void createCertificates() throws Exception {
    pki = TestCertificates.create(dir);
    assertThat(pki.openssl("pkey", "-in", "client.key", "-traditional", "-out", "client-pkcs1.key")).isZero();
    assertThat(pki.openssl("pkey", "-in", "server.key", "-traditional", "-out", "server-sec1.key")).isZero();
    assertThat(pki.openssl("pkey", "-in", "server.key", "-aes128", "-passout", "pass:pw", "-out", "server-enc.key"))
        .isZero();
    Files.writeString(dir.resolve("garbage.pem"), "hello, not a pem file");
    Files.writeString(dir.resolve("bad-base64.pem"),
        "-----BEGIN CERTIFICATE-----\nc2Vjc\n-----END CERTIFICATE-----\n");
    Files.writeString(dir.resolve("bad-cert.pem"), "-----BEGIN CERTIFICATE-----\nc2VjcmV0\n-----END CERTIFICATE-----\n");
  }

  @Test
  void readsPkcs8RsaAndEcKeysAndPkcs1RsaKeys() {
    assertThat(PemFiles.privateKey(pki.serverKey, "k")).isInstanceOf(ECPrivateKey.class);
    assertThat(PemFiles.privateKey(pki.clientKey, "k")).isInstanceOf(RSAPrivateKey.class);
    assertThat(PemFiles.privateKey(dir.resolve("client-pkcs1.key"), "k"))
        .isEqualTo(PemFiles.privateKey(pki.clientKey, "k"));
  }

  @Test
  void readsEveryCertificateOfABundle() throws Exception {
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(bundle, Files.readString(pki.serverCert) + Files.readString(pki.caCert));

    assertThat(PemFiles.certificates(bundle, "c")).hasSize(2)
        .extracting(c -> c.getSubjectX500Principal().getName()).containsExactly("CN=localhost", "CN=test-ca");
  }

  @ParameterizedTest(name = "key {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "server-sec1.key | SEC1 'EC PRIVATE KEY' is not supported; convert it to PKCS#8 with: openssl pkcs8 -topk8",
      "server-enc.key  | encrypted keys are not supported; convert it",
      "server.pem      | no PEM 'PRIVATE KEY' block found",
      "garbage.pem     | not a PEM file",
      "missing.key     | cannot read (NoSuchFileException)",
      "bad-cert.pem    | no PEM 'PRIVATE KEY' block found"})
  void badKeyFilesAreNamedWithTheReason(String file, String reason) {
    Path path = dir.resolve(file);

    assertThatThrownBy(() -> PemFiles.privateKey(path, "tlsKeyFile")).isInstanceOf(TlsConfigException.class)
        .hasMessageStartingWith("tlsKeyFile " + path + ": ").hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "certificate {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "server.key     | no PEM 'CERTIFICATE' block found",
      "bad-base64.pem | PEM block 'CERTIFICATE' is not valid base64",
      "bad-cert.pem   | certificate 1 is not a valid X.509 certificate",
      "garbage.pem    | not a PEM file"})
  void badCertificateFilesAreNamedWithTheReasonButNotTheContent(String file, String reason) {
    Path path = dir.resolve(file);

    assertThatThrownBy(() -> PemFiles.certificates(path, "tlsCertFile")).isInstanceOf(TlsConfigException.class)
        .hasMessageStartingWith("tlsCertFile " + path + ": ").hasMessageContaining(reason)
        .hasMessageNotContaining("c2Vj");
  }

  @Test
  void keyThatDoesNotMatchTheCertificateIsRefused() {
    assertThatThrownBy(() -> ServerTls.load(pki.serverCert, pki.clientKey, null))
        .isInstanceOf(TlsConfigException.class).hasMessageContaining("does not match");
  }

  @Test
  void pkcs1KeyIsEnoughForAServerContext() {
    Path pkcs1 = dir.resolve("client-pkcs1.key");

    ServerTls tls = ServerTls.load(pki.clientCert, pkcs1, pki.caCert);

    assertThat(tls.clientAuthRequired()).isTrue();
    assertThat(tls.grpcSslContext().isServer()).isTrue();
  }
}
