package io.junction.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A minimal STOMP 1.2 client over a blocking socket, the same for every broker: persistent
 * SENDs with an optional receipt, SUBSCRIBE, and reading frames. Header values are written and
 * read as they are (the benchmark uses none that need escaping). One thread may write while
 * another reads. Public for the load generator's STOMP scenario (bench/loadgen).
 */
public final class StompClient implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 60_000;

    /** A frame read from the broker; the body is counted, not kept. */
    public record Frame(String command, Map<String, String> headers, int bodyLength) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private StompClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Connects to the loopback address and completes the CONNECT / CONNECTED handshake. */
    static StompClient connect(int port) throws IOException {
        return connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Connects and completes the CONNECT / CONNECTED handshake. */
    public static StompClient connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(address, TIMEOUT_MILLIS);
            StompClient client = new StompClient(socket);
            client.writeFrame("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n");
            client.out.write(0);
            client.out.flush();
            client.expect("CONNECTED");
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Writes (buffered, not flushed) a persistent SEND; a receipt id of null asks for none. */
    public void send(String destination, byte[] body, String receipt) throws IOException {
        StringBuilder head = new StringBuilder(160)
                .append("SEND\ndestination:").append(destination)
                .append("\npersistent:true\ncontent-type:application/octet-stream\ncontent-length:").append(body.length);
        if (receipt != null) {
            head.append("\nreceipt:").append(receipt);
        }
        writeFrame(head.append("\n\n"));
        out.write(body);
        out.write(0);
    }

    /** Subscribes with the given ack mode and sends the frame at once. */
    public void subscribe(String destination, String id, String ackMode) throws IOException {
        writeFrame("SUBSCRIBE\ndestination:" + destination + "\nid:" + id + "\nack:" + ackMode + "\n\n");
        out.write(0);
        flush();
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Reads the next frame, which must be the given command (an ERROR fails with its message). */
    public Frame expect(String command) throws IOException {
        Frame frame = read();
        if (!frame.command().equals(command)) {
            throw new IOException("expected " + command + " from the broker, got " + frame.command() + " "
                    + frame.headers());
        }
        return frame;
    }

    /** Reads the next frame, skipping heart-beat EOLs before it. */
    public Frame read() throws IOException {
        int first = next();
        while (first == '\n' || first == '\r') {
            first = next();
        }
        String command = (char) first + readLine();
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        String length = headers.get("content-length");
        int bodyLength = 0;
        if (length != null) {
            bodyLength = Integer.parseInt(length.trim());
            in.skipNBytes(bodyLength);
            if (next() != 0) {
                throw new IOException("a " + command + " frame's body is not followed by NUL");
            }
        } else {
            while (next() != 0) {
                bodyLength++;
            }
        }
        return new Frame(command, headers, bodyLength);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void writeFrame(CharSequence head) throws IOException {
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = next(); b != '\n'; b = next()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private int next() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the broker closed the connection");
        }
        return b;
    }
}
