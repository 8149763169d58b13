package io.tracemetrics.bench.gateway;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * OTLP/HTTP protobuf over one keep-alive connection, written by hand: a full HTTP client would spend more
 * CPU than the gateway under test on a 2-core machine, and the load generator's CPU is not what is measured.
 */
final class RawHttpCall implements LoadCall {
  private final String host;
  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  RawHttpCall(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public boolean send(byte[] request) throws IOException {
    if (socket == null) {
      connect();
    }
    String head = "POST /v1/traces HTTP/1.1\r\nHost: " + host + ":" + port
        + "\r\nContent-Type: application/x-protobuf\r\nContent-Length: " + request.length + "\r\n\r\n";
    try {
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(request);
      out.flush();
      return readResponse() == 200;
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(60_000);
    out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
  }

  /** Reads status line, headers and a Content-Length body; returns the status. */
  private int readResponse() throws IOException {
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    long length = 0;
    boolean close = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    for (long skipped = 0; skipped < length; skipped++) {
      if (in.read() < 0) {
        throw new EOFException("response body cut short");
      }
    }
    if (close) {
      close();
    }
    return code;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException("connection closed by the gateway");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing anyway.
      }
      socket = null;
    }
  }
}
