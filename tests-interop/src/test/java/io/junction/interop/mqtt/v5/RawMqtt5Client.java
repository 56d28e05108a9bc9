package io.junction.interop.mqtt.v5;

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

/**
 * An MQTT 5 client over a plain socket that writes exactly the packets a test builds, including
 * those a well-behaved library refuses to send (an alias above the maximum, a second CONNECT, a
 * packet over the maximum size), and decodes what the broker answers. Every read has a deadline.
 */
public final class RawMqtt5Client implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawMqtt5Client(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawMqtt5Client open(int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) TIMEOUT.toMillis());
        return new RawMqtt5Client(socket);
    }

    /** Opens a connection, sends CONNECT (clean start, keep-alive 60) and expects CONNACK 0x00. */
    public static RawMqtt5Client connected(int port, String clientId, Props props) throws IOException {
        RawMqtt5Client client = open(port);
        try {
            Packet connack = client.send(connect(clientId, true, 60, props)).expect(Packet.CONNACK);
            if (connack.reasonCode != 0) {
                throw new AssertionError("CONNECT refused: " + connack);
            }
        } catch (IOException | AssertionError e) {
            client.close();
            throw e;
        }
        return client;
    }

    public RawMqtt5Client send(byte[] packet) throws IOException {
        out.write(packet);
        out.flush();
        return this;
    }

    public Packet read() throws IOException {
        return read(TIMEOUT);
    }

    /** The next packet; SocketTimeoutException when none arrives in time, EOFException when closed. */
    public Packet read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        int first = in.read();
        if (first < 0) {
            throw new EOFException("the broker closed the connection");
        }
        int length = 0;
        int multiplier = 1;
        int b;
        do {
            b = readByte();
            length += (b & 0x7f) * multiplier;
            multiplier *= 128;
        } while ((b & 0x80) != 0);
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("the broker closed the connection in the middle of a packet");
        }
        return new Packet(first >>> 4, first & 0x0f, body);
    }

    /** Reads the next packet, failing unless it has the given type. */
    public Packet expect(int type) throws IOException {
        Packet packet = read();
        if (packet.type != type) {
            throw new AssertionError("expected " + Packet.name(type) + ", got " + packet);
        }
        return packet;
    }

    /** Reads packets until one of the type arrives (skipping others, e.g. $SYS or PINGRESP). */
    public Packet next(int type) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("no " + Packet.name(type) + " within " + TIMEOUT);
            }
            Packet packet = read(Duration.ofMillis(left));
            if (packet.type == type) {
                return packet;
            }
        }
    }

    /** Fails if any packet arrives within the window. */
    public void expectNothing(Duration window) throws IOException {
        try {
            Packet packet = read(window);
            throw new AssertionError("expected nothing, got " + packet);
        } catch (SocketTimeoutException expected) {
            // quiet, as it should be
        }
    }

    /**
     * Expects the broker to send DISCONNECT and then close the connection (4.13: "it SHOULD send a
     * DISCONNECT packet containing the Reason Code before closing"); returns the DISCONNECT.
     */
    public Packet expectDisconnectAndClose() throws IOException {
        Packet packet;
        do {
            packet = read();
        } while (packet.type == Packet.PUBLISH || packet.type == Packet.PINGRESP);
        if (packet.type != Packet.DISCONNECT) {
            throw new AssertionError("expected DISCONNECT, got " + packet);
        }
        awaitClosed();
        return packet;
    }

    /**
     * Waits for the close and returns the reason code of the DISCONNECT the broker sent before it,
     * or null when it closed without one. PUBLISH and PINGRESP packets before it are skipped.
     */
    public Integer awaitDisconnectReason() throws IOException {
        try {
            Packet packet;
            do {
                packet = read();
            } while (packet.type == Packet.PUBLISH || packet.type == Packet.PINGRESP);
            if (packet.type != Packet.DISCONNECT) {
                throw new AssertionError("expected DISCONNECT or a close, got " + packet);
            }
            awaitClosed();
            return packet.reasonCode;
        } catch (EOFException | SocketException closed) {
            return null;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker neither sent DISCONNECT nor closed within " + TIMEOUT);
        }
    }

    /** Reads and discards until the broker closes the connection; fails after the timeout. */
    public void awaitClosed() throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new AssertionError("the broker did not close the connection within " + TIMEOUT);
                }
                socket.setSoTimeout((int) left);
                if (in.read() < 0) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker did not close the connection within " + TIMEOUT);
        } catch (SocketException reset) {
            // closed with a reset: closed all the same
        }
    }

    /** Closes the TCP connection without DISCONNECT (an abnormal disconnect: will messages apply). */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the broker closed the connection");
        }
        return b;
    }

    // ---- packet builders (section 3) ----

    public static byte[] connect(String clientId, boolean cleanStart, int keepAlive, Props props) {
        return connect(clientId, cleanStart, keepAlive, props, null, null, null, 0, false);
    }

    /** CONNECT, MQTT 5 (protocol level 5), with an optional will (topic, payload, properties). */
    public static byte[] connect(String clientId, boolean cleanStart, int keepAlive, Props props,
                                 String willTopic, byte[] willPayload, Props willProps, int willQos,
                                 boolean willRetain) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Props.writeString(body, "MQTT");
        body.write(5);
        int flags = (cleanStart ? 0x02 : 0);
        if (willTopic != null) {
            flags |= 0x04 | (willQos << 3) | (willRetain ? 0x20 : 0);
        }
        body.write(flags);
        Props.writeTwo(body, keepAlive);
        body.writeBytes((props == null ? Props.of() : props).encode());
        Props.writeString(body, clientId);
        if (willTopic != null) {
            body.writeBytes((willProps == null ? Props.of() : willProps).encode());
            Props.writeString(body, willTopic);
            Props.writeBinary(body, willPayload);
        }
        return packet(Packet.CONNECT << 4, body.toByteArray());
    }

    public static byte[] publish(String topic, int qos, boolean retain, int packetId, Props props, String payload) {
        return publish(topic, qos, retain, false, packetId, props, payload.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] publish(String topic, int qos, boolean retain, boolean dup, int packetId, Props props,
                                 byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Props.writeString(body, topic);
        if (qos > 0) {
            Props.writeTwo(body, packetId);
        }
        body.writeBytes((props == null ? Props.of() : props).encode());
        body.writeBytes(payload);
        int header = (Packet.PUBLISH << 4) | (dup ? 8 : 0) | (qos << 1) | (retain ? 1 : 0);
        return packet(header, body.toByteArray());
    }

    /** SUBSCRIBE with one filter; options byte = QoS | no-local 0x04 | retain-as-published 0x08 | handling << 4. */
    public static byte[] subscribe(int packetId, Props props, String filter, int options) {
        return subscribe(packetId, props, new String[] {filter}, new int[] {options});
    }

    public static byte[] subscribe(int packetId, Props props, String[] filters, int[] options) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Props.writeTwo(body, packetId);
        body.writeBytes((props == null ? Props.of() : props).encode());
        for (int i = 0; i < filters.length; i++) {
            Props.writeString(body, filters[i]);
            body.write(options[i]);
        }
        return packet((Packet.SUBSCRIBE << 4) | 0x02, body.toByteArray());
    }

    public static byte[] unsubscribe(int packetId, String... filters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Props.writeTwo(body, packetId);
        body.writeBytes(Props.of().encode());
        for (String filter : filters) {
            Props.writeString(body, filter);
        }
        return packet((Packet.UNSUBSCRIBE << 4) | 0x02, body.toByteArray());
    }

    /** PUBACK, PUBREC, PUBREL (flags 0x02 added) or PUBCOMP with reason code 0x00. */
    public static byte[] ack(int type, int packetId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Props.writeTwo(body, packetId);
        body.write(0);
        body.write(0);
        return packet((type << 4) | (type == Packet.PUBREL ? 0x02 : 0), body.toByteArray());
    }

    public static byte[] disconnect(int reasonCode, Props props) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(reasonCode);
        body.writeBytes((props == null ? Props.of() : props).encode());
        return packet(Packet.DISCONNECT << 4, body.toByteArray());
    }

    public static byte[] pingreq() {
        return new byte[] {(byte) 0xC0, 0};
    }

    /** Fixed header (first byte and remaining length) followed by the body. */
    public static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        Props.writeVarInt(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }
}
