package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An HTTPS receiver with a self-signed certificate, made by the JDK's keytool. */
class TlsSettingsTest {
  private static final String PASSWORD = "changeit";

  @TempDir
  Path dir;
  private Path keyStore;
  private HttpsServer server;

  @BeforeEach
  void startHttpsReceiver() throws Exception {
    keyStore = dir.resolve("receiver.p12");
    generateSelfSignedCertificate(keyStore);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.createContext("/api/v1/write", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void customTrustStoreLetsTheClientReachAReceiverWithAPrivateCertificate() throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .sslContext(new TlsSettings(keyStore.toString(), PASSWORD, "PKCS12").sslContext()).build();

    assertThat(client.send(request(), HttpResponse.BodyHandlers.discarding()).statusCode())
        .isEqualTo(204);
  }

  @Test
  void defaultTrustRejectsThePrivateCertificate() {
    HttpClient client = HttpClient.newHttpClient();

    assertThatThrownBy(() -> client.send(request(), HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void missingTrustStoreFailsWithItsPath() {
    assertThatThrownBy(() -> new TlsSettings(dir.resolve("nope.p12").toString(), PASSWORD, "PKCS12")
        .sslContext()).isInstanceOf(IOException.class).hasMessageContaining("nope.p12");
  }

  private HttpRequest request() {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.getAddress().getPort()
        + "/api/v1/write")).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build();
  }

  private static void generateSelfSignedCertificate(Path target) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "receiver",
        "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", target.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
