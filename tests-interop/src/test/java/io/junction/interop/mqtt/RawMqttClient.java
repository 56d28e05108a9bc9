package io.junction.interop.mqtt;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * An MQTT client over a plain socket that writes exactly the bytes a test gives it (see
 * {@link MqttBytes}) and parses the packets that come back. It never answers anything by itself:
 * no PUBACK, no PINGREQ, which is what the retransmission and keep-alive tests need. Every read is
 * bounded by a deadline.
 */
public final class RawMqttClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** How long a test waits for the broker to close a connection it must close at once. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[65536];
    private int position;
    private int limit;
    private long deadline;

    private RawMqttClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawMqttClient open(int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) TIMEOUT.toMillis());
        return new RawMqttClient(socket);
    }

    /** Opens a connection, sends the CONNECT and checks that CONNACK accepts it; returns the CONNACK. */
    public static RawMqttClient connected(int port, MqttBytes.Connect connect) throws IOException {
        RawMqttClient client = open(port);
        try {
            MqttPacket connack = client.send(connect.bytes()).expect(MqttPacket.CONNACK);
            if (connack.returnCode() != 0) {
                throw new AssertionError("CONNECT refused: " + connack);
            }
            client.lastConnack = connack;
            return client;
        } catch (IOException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    private MqttPacket lastConnack;

    /** The CONNACK of {@link #connected}. */
    public MqttPacket connack() {
        return lastConnack;
    }

    public RawMqttClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Writes bytes that may make the broker close the connection while they are on their way: a
     * write error because of that close is not a failure (the test then checks the close itself).
     */
    public RawMqttClient sendQuietly(byte[] bytes) {
        try {
            send(bytes);
        } catch (IOException closedMeanwhile) {
            // the broker closed the connection first; awaitClosed sees it
        }
        return this;
    }

    public MqttPacket read() throws IOException {
        return read(TIMEOUT);
    }

    public MqttPacket read(Duration timeout) throws IOException {
        deadline = System.nanoTime() + timeout.toNanos();
        int first = next();
        int length = 0;
        int multiplier = 1;
        for (int i = 0; ; i++) {
            int digit = next();
            length += (digit & 0x7f) * multiplier;
            if ((digit & 0x80) == 0) {
                break;
            }
            if (i == 3) {
                throw new IOException("malformed remaining length from the broker");
            }
            multiplier *= 128;
        }
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) next();
        }
        return new MqttPacket(first, body);
    }

    /** Reads the next packet and fails unless it has the given type. */
    public MqttPacket expect(int type) throws IOException {
        MqttPacket packet = read();
        if (packet.type() != type) {
            throw new AssertionError("expected packet type " + type + ", got " + packet);
        }
        return packet;
    }

    /** The next packet, or null if none arrives within the window (the connection staying open). */
    public MqttPacket poll(Duration window) throws IOException {
        try {
            return read(window);
        } catch (SocketTimeoutException quiet) {
            if (position < limit) {
                throw new IOException("a partial packet arrived", quiet);
            }
            return null;
        }
    }

    /** True if the broker closed the connection (EOF or reset) within the timeout, reading and discarding meanwhile. */
    public boolean isClosedWithin(Duration timeout) throws IOException {
        long start = System.nanoTime();
        deadline = start + timeout.toNanos();
        try {
            while (true) {
                next();
            }
        } catch (EOFException | SocketException closed) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Reads and discards until the broker closes the connection; returns how long that took. */
    public Duration awaitClosed(Duration timeout) throws IOException {
        long start = System.nanoTime();
        if (!isClosedWithin(timeout)) {
            throw new AssertionError("the broker did not close the connection within " + timeout.toMillis() + " ms");
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    public Duration awaitClosed() throws IOException {
        return awaitClosed(CLOSE_TIMEOUT);
    }

    /**
     * Reads packets until the broker closes the connection and returns them; fails if it is still
     * open after the timeout.
     */
    public java.util.List<MqttPacket> packetsUntilClosed(Duration timeout) throws IOException {
        java.util.List<MqttPacket> packets = new java.util.ArrayList<>();
        long end = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                packets.add(read(Duration.ofNanos(left)));
            }
        } catch (EOFException | SocketException closed) {
            return packets;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker did not close the connection within " + timeout.toMillis()
                    + " ms; it sent " + packets);
        }
    }

    /** Resets the connection (TCP RST): an abnormal close, as a crashed device's. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private int next() throws IOException {
        if (position < limit) {
            return buffer[position++] & 0xff;
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
        return buffer[position++] & 0xff;
    }
}
