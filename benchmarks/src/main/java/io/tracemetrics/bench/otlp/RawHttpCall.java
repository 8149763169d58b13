package io.tracemetrics.bench.otlp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * OTLP/HTTP protobuf ({@code POST /v1/traces}) over one keep-alive connection, written by hand: a full HTTP
 * client would spend more CPU than the server under test on a 2-core machine, and the load generator's CPU is
 * not what is measured.
 *
 * <p>Every answer's body is read to its end (Content-Length or chunked), refusals included, so the connection
 * stays usable. A connection that cannot be opened means nothing was sent ({@link SendOutcome#CONNECT_REFUSED});
 * a failure after the request was written leaves its fate unknown ({@link SendOutcome#NO_ANSWER}) and closes
 * the connection, the next send opens a new one. A connection idle for a while is checked before it is used,
 * as pooling HTTP clients do: a server may close an idle keep-alive connection, and a request written into
 * one that is already closed would be counted as of unknown fate although it never reached the server.
 */
public final class RawHttpCall implements LoadCall {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** How long a connection may stay unused before it is checked for a close by the server. */
  private static final long STALE_CHECK_AFTER_NANOS = 1_000_000_000L;

  private final String host;
  private final int port;
  private final int timeoutMillis;
  private final byte[] headPrefix;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private long lastUsed;

  public RawHttpCall(String host, int port) {
    this(host, port, DEFAULT_TIMEOUT);
  }

  /** @param timeout how long connecting, and then waiting for an answer, may take */
  public RawHttpCall(String host, int port, Duration timeout) {
    this.host = host;
    this.port = port;
    this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    this.headPrefix = ("POST /v1/traces HTTP/1.1\r\nHost: " + host + ":" + port
        + "\r\nContent-Type: application/x-protobuf\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public SendOutcome send(byte[] request) {
    if (socket != null && System.nanoTime() - lastUsed > STALE_CHECK_AFTER_NANOS && closedByServer()) {
      close();
    }
    if (socket == null) {
      try {
        connect();
      } catch (IOException e) {
        close();
        return SendOutcome.CONNECT_REFUSED;
      }
    }
    try {
      out.write(headPrefix);
      writeDecimal(request.length);
      out.write('\r');
      out.write('\n');
      out.write('\r');
      out.write('\n');
      out.write(request);
      out.flush();
      int status = readResponse();
      lastUsed = System.nanoTime();
      return SendOutcome.http(status);
    } catch (IOException | RuntimeException e) {
      close();
      return SendOutcome.NO_ANSWER;
    }
  }

  /**
   * Whether the server has closed the idle connection: a read that ends at once (or finds bytes no request
   * asked for) says so, one that times out says the connection is still open.
   */
  private boolean closedByServer() {
    try {
      socket.setSoTimeout(1);
      try {
        in.read();
        return true;
      } finally {
        socket.setSoTimeout(timeoutMillis);
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private void writeDecimal(int value) throws IOException {
    if (value >= 10) {
      writeDecimal(value / 10);
    }
    out.write('0' + value % 10);
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), timeoutMillis);
    socket.setSoTimeout(timeoutMillis);
    out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
  }

  /** Reads status line, headers and the body (Content-Length or chunked); returns the status. */
  private int readResponse() throws IOException {
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    long length = 0;
    boolean chunked = false;
    boolean close = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    if (chunked) {
      skipChunks();
    } else {
      skip(length);
    }
    if (close) {
      close();
    }
    return code;
  }

  private void skipChunks() throws IOException {
    while (true) {
      String size = line();
      int extension = size.indexOf(';');
      long length = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
      if (length == 0) {
        while (!line().isEmpty()) {
          // Trailer fields, not used.
        }
        return;
      }
      skip(length);
      line();
    }
  }

  private void skip(long length) throws IOException {
    for (long skipped = 0; skipped < length; skipped++) {
      if (in.read() < 0) {
        throw new EOFException("response body cut short");
      }
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException("connection closed by the server");
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
