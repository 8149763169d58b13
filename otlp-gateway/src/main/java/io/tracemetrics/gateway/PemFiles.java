package io.tracemetrics.gateway;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys with the JDK alone. Every error names the file and what is
 * wrong with it, never the file's content: a key must not end up in a log because it was malformed.
 */
final class PemFiles {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final String CONVERT_HINT =
      "; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in <key> -out <key.pk8>";
  /** DER of AlgorithmIdentifier { rsaEncryption, NULL }, to wrap a PKCS#1 key into PKCS#8. */
  private static final byte[] RSA_ALGORITHM = {
      0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

  private PemFiles() {}

  /** Every {@code CERTIFICATE} block of {@code file}, in order; at least one. */
  static List<X509Certificate> certificates(Path file, String role) {
    List<X509Certificate> certificates = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("no X.509 support in this JVM", e);
    }
    for (Block block : blocks(file, role)) {
      if (!block.type().equals("CERTIFICATE")) {
        continue;
      }
      try {
        Certificate certificate = factory.generateCertificate(new ByteArrayInputStream(block.der()));
        certificates.add((X509Certificate) certificate);
      } catch (CertificateException | ClassCastException e) {
        throw new TlsConfigException(role + " " + file + ": certificate " + (certificates.size() + 1)
            + " is not a valid X.509 certificate", e);
      }
    }
    if (certificates.isEmpty()) {
      throw new TlsConfigException(role + " " + file + ": no PEM 'CERTIFICATE' block found");
    }
    return certificates;
  }

  /** The first private key block of {@code file}: PKCS#8 (RSA or EC) or PKCS#1 RSA. */
  static PrivateKey privateKey(Path file, String role) {
    for (Block block : blocks(file, role)) {
      switch (block.type()) {
        case "PRIVATE KEY":
          return pkcs8(block.der(), file, role);
        case "RSA PRIVATE KEY":
          return pkcs8(wrapPkcs1(block.der()), file, role);
        case "EC PRIVATE KEY":
          throw new TlsConfigException(role + " " + file + ": SEC1 'EC PRIVATE KEY' is not supported"
              + CONVERT_HINT);
        case "ENCRYPTED PRIVATE KEY":
          throw new TlsConfigException(role + " " + file + ": encrypted keys are not supported" + CONVERT_HINT);
        default:
          break;
      }
    }
    throw new TlsConfigException(role + " " + file + ": no PEM 'PRIVATE KEY' block found" + CONVERT_HINT);
  }

  private static PrivateKey pkcs8(byte[] der, Path file, String role) {
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // Not this algorithm; try the next one.
      }
    }
    // No cause attached: the JDK's parse errors are vague, and no part of the key should travel further.
    throw new TlsConfigException(role + " " + file + ": not a valid RSA or EC private key" + CONVERT_HINT);
  }

  /** PKCS#8 PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }. */
  static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    writeLength(body, pkcs1.length);
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    writeLength(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length < 0x80) {
      out.write(length);
      return;
    }
    int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
    out.write(0x80 | bytes);
    for (int i = bytes - 1; i >= 0; i--) {
      out.write(length >>> (8 * i));
    }
  }

  private static List<Block> blocks(Path file, String role) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new TlsConfigException(role + " " + file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
    }
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      try {
        blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
      } catch (IllegalArgumentException e) {
        throw new TlsConfigException(role + " " + file + ": PEM block '" + matcher.group(1)
            + "' is not valid base64");
      }
    }
    if (blocks.isEmpty()) {
      throw new TlsConfigException(role + " " + file + ": not a PEM file (no -----BEGIN ...----- block)");
    }
    return blocks;
  }

  private record Block(String type, byte[] der) {}
}
