package io.junction.interop.raw;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A STOMP client over a plain socket that writes exactly the bytes a test gives it, including what
 * a well-behaved client library refuses to send, and parses what comes back without decoding
 * header escapes. Every read is bounded by a deadline.
 */
public final class RawStompClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private long deadline;

    private RawStompClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawStompClient open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) TIMEOUT.toMillis());
        return new RawStompClient(socket);
    }

    /** A client on a socket the test connected itself, such as an {@code SSLSocket} to a TLS listener. */
    public static RawStompClient over(Socket connected) throws IOException {
        return new RawStompClient(connected);
    }

    /** Opens a connection and completes the CONNECT handshake; extra headers are "name:value" lines. */
    public static RawStompClient connected(int port, String version, String... headers) throws IOException {
        RawStompClient client = open(port);
        try {
            client.connect(version, headers);
        } catch (IOException | AssertionError e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** Sends CONNECT for the version and returns the CONNECTED frame; anything else fails the test. */
    public RawFrame connect(String version, String... headers) throws IOException {
        List<String> lines = new ArrayList<>(List.of("accept-version:" + version, "host:localhost"));
        lines.addAll(List.of(headers));
        write(frame("CONNECT", lines.toArray(String[]::new)));
        RawFrame reply = readFrame();
        if (!reply.command().equals("CONNECTED")) {
            throw new AssertionError("expected CONNECTED, got " + reply);
        }
        return reply;
    }

    /** The text of a frame without a body: command, header lines, blank line, NUL. */
    public static String frame(String command, String... headerLines) {
        return frameWithBody(command, "", headerLines);
    }

    public static String frameWithBody(String command, String body, String... headerLines) {
        StringBuilder text = new StringBuilder(command).append('\n');
        for (String line : headerLines) {
            text.append(line).append('\n');
        }
        return text.append('\n').append(body).append('\0').toString();
    }

    public RawStompClient write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    public RawStompClient write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public RawFrame readFrame() throws IOException {
        return readFrame(TIMEOUT);
    }

    /** Reads the next frame, skipping the EOLs (heart-beats) before it. */
    public RawFrame readFrame(Duration timeout) throws IOException {
        deadline = System.nanoTime() + timeout.toNanos();
        while (peek() == '\n' || peek() == '\r') {
            position++;
        }
        String command = readLine();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.add(colon < 0 ? Map.entry(line, "") : Map.entry(line.substring(0, colon), line.substring(colon + 1)));
        }
        RawFrame headerPart = new RawFrame(command, headers, new byte[0]);
        String length = headerPart.header("content-length");
        byte[] body = length == null ? readUntilNul() : readBody(Integer.parseInt(length.trim()));
        return new RawFrame(command, headers, body);
    }

    /** Reads an ERROR frame, then waits for the broker to close the connection; returns the frame. */
    public RawFrame expectErrorAndClose() throws IOException {
        RawFrame error = readFrame();
        if (!error.command().equals("ERROR")) {
            throw new AssertionError("expected ERROR, got " + error);
        }
        awaitClosed(TIMEOUT);
        return error;
    }

    /**
     * Reads and discards until the broker closes the connection; returns how long that took.
     * Fails if the connection is still open after the timeout.
     */
    public Duration awaitClosed(Duration timeout) throws IOException {
        long start = System.nanoTime();
        deadline = start + timeout.toNanos();
        try {
            while (true) {
                next();
            }
        } catch (EOFException | SocketException closed) {
            return Duration.ofNanos(System.nanoTime() - start);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker did not close the connection within " + timeout.toMillis() + " ms");
        }
    }

    /**
     * Counts the EOLs (heart-beats) that arrive during the window; any other byte fails the test.
     */
    public int countHeartbeats(Duration window) throws IOException {
        deadline = System.nanoTime() + window.toNanos();
        int count = 0;
        try {
            while (true) {
                int b = next();
                if (b == '\n') {
                    count++;
                } else if (b != '\r') {
                    throw new AssertionError("expected only heart-beats, got byte " + b);
                }
            }
        } catch (SocketTimeoutException windowOver) {
            return count;
        }
    }

    /** Resets the connection (TCP RST) instead of closing it politely. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private byte[] readBody(int length) throws IOException {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) next();
        }
        int terminator = next();
        if (terminator != 0) {
            throw new IOException("expected NUL after a body of " + length + " bytes, got byte " + terminator);
        }
        return body;
    }

    private byte[] readUntilNul() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int b = next(); b != 0; b = next()) {
            body.write(b);
        }
        return body.toByteArray();
    }

    /** A line without its LF or CRLF. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = next(); b != '\n'; b = next()) {
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private int peek() throws IOException {
        fill();
        return buffer[position] & 0xff;
    }

    private int next() throws IOException {
        fill();
        return buffer[position++] & 0xff;
    }

    private void fill() throws IOException {
        if (position < limit) {
            return;
        }
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
            throw new SocketTimeoutException("nothing more from the broker in time");
        }
        socket.setSoTimeout((int) remainingMillis);
        int n = in.read(buffer);
        if (n < 0) {
            throw new EOFException("the broker closed the connection");
        }
        position = 0;
        limit = n;
    }
}
