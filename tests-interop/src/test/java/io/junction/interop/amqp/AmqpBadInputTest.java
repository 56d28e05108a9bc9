package io.junction.interop.amqp;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw bytes a library would never send, over a plain socket to the AMQP listener. Each gets the
 * connection closed within a bounded time, and a fresh Qpid JMS connection works afterwards.
 * AMQP 1.0 part 2 section 2.2 (version negotiation): "If the requested protocol version is not
 * supported, the server MUST send a protocol header with a supported protocol version and then
 * close the socket." Junction requires SASL, so its header is {@code AMQP 3 1 0 0}, sent as soon
 * as a connection is accepted.
 */
@Timeout(60)
class AmqpBadInputTest {

    private static final byte[] SASL_HEADER = {'A', 'M', 'Q', 'P', 3, 1, 0, 0};
    private static final byte[] AMQP_HEADER = {'A', 'M', 'Q', 'P', 0, 1, 0, 0};
    /** Well within the bound a test allows; far below the 2 s connect timeout where that applies. */
    private static final Duration PROMPT = Duration.ofSeconds(3);
    /** The broker's connect timeout (2 s here) plus slack for a slow machine. */
    private static final Duration AFTER_CONNECT_TIMEOUT = Duration.ofSeconds(8);

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker("""
            protocols:
              amqp:
                connectTimeout: 2s
            """);

    private Socket socket;

    @AfterEach
    void closeSocket() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }

    @Test
    void unsupportedVersionIsAnsweredWithTheSupportedHeaderThenClosed() throws Exception {
        byte[] answer = send(new byte[] {'A', 'M', 'Q', 'P', 0, 2, 0, 0}, PROMPT);
        assertThat(answer.length).as("bytes before close: %s", hex(answer)).isGreaterThanOrEqualTo(8);
        assertThat(Arrays.copyOf(answer, 8)).as("the broker's own header").isIn(SASL_HEADER, AMQP_HEADER);
        assertFreshConnectionWorks();
    }

    @Test
    void somethingElseThanAmqpIsAnsweredWithTheSupportedHeaderThenClosed() throws Exception {
        byte[] answer = send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), PROMPT);
        assertThat(answer.length).as("bytes before close: %s", hex(answer)).isGreaterThanOrEqualTo(8);
        assertThat(Arrays.copyOf(answer, 8)).isIn(SASL_HEADER, AMQP_HEADER);
        assertFreshConnectionWorks();
    }

    @Test
    void garbageAfterAValidSaslHeaderClosesTheConnection() throws Exception {
        // A well-sized SASL frame (16 bytes, doff 2, type 1) whose body is no performative at all.
        byte[] frame = {0, 0, 0, 16, 2, 1, 0, 0, 0x00, 0x53, (byte) 0x99, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff};
        byte[] answer = send(concat(SASL_HEADER, frame), PROMPT);
        assertThat(Arrays.copyOf(answer, 8)).as("the broker's header: %s", hex(answer)).isEqualTo(SASL_HEADER);
        assertFreshConnectionWorks();
    }

    @Test
    void garbagePerformativeAfterOpeningClosesWithAnErrorCondition() throws Exception {
        byte[] saslInit = saslInitAnonymous();
        // After SASL: the AMQP header, then an AMQP frame (type 0) on channel 0 claiming to be an open
        // (descriptor 0x10) whose list is cut short by nonsense.
        byte[] bad = {0, 0, 0, 16, 2, 0, 0, 0, 0x00, 0x53, 0x10, (byte) 0xc0, (byte) 0xff, (byte) 0xee, (byte) 0xdd,
                (byte) 0xcc};
        open();
        socket.getOutputStream().write(concat(SASL_HEADER, saslInit));
        byte[] saslOutcome = {0x00, 0x53, 0x44};
        ByteArrayOutputStream sasl = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        socket.setSoTimeout((int) PROMPT.toMillis());
        while (!new String(sasl.toByteArray(), StandardCharsets.ISO_8859_1)
                .contains(new String(saslOutcome, StandardCharsets.ISO_8859_1))) {
            int b = in.read();
            assertThat(b).as("sasl-outcome before close; got %s", hex(sasl.toByteArray())).isNotNegative();
            sasl.write(b);
        }
        socket.getOutputStream().write(concat(AMQP_HEADER, bad));
        byte[] answer = readUntilClosed(PROMPT);
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertThat(text).as("SASL succeeded and the broker answered the AMQP header: %s", hex(answer))
                .contains(new String(AMQP_HEADER, StandardCharsets.ISO_8859_1));
        assertThat(text).as("close with an error condition, bytes %s", hex(answer))
                .containsAnyOf("amqp:decode-error", "amqp:connection:framing-error");
        assertFreshConnectionWorks();
    }

    @Test
    void truncatedFrameClosesTheConnectionOnceTheConnectTimeoutPasses() throws Exception {
        byte[] saslInit = saslInitAnonymous();
        byte[] answer = send(concat(SASL_HEADER, Arrays.copyOf(saslInit, 10)), AFTER_CONNECT_TIMEOUT);
        assertThat(Arrays.copyOf(answer, 8)).isEqualTo(SASL_HEADER);
        assertFreshConnectionWorks();
    }

    @Test
    void truncatedFrameThenHalfCloseClosesTheConnection() throws Exception {
        byte[] saslInit = saslInitAnonymous();
        open();
        socket.getOutputStream().write(concat(SASL_HEADER, Arrays.copyOf(saslInit, 10)));
        socket.getOutputStream().flush();
        socket.shutdownOutput();
        readUntilClosed(PROMPT);
        assertFreshConnectionWorks();
    }

    @Test
    void impossibleFrameSizesCloseTheConnection() throws Exception {
        byte[][] frames = {
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 2, 1, 0, 0},  // ~4 GB, above any max-frame-size
            {0, 0, 0, 4, 2, 1, 0, 0},                                          // smaller than a frame header
            {0, 0, 0, 16, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},                 // data offset 1: under the header
        };
        for (byte[] frame : frames) {
            byte[] answer = send(concat(SASL_HEADER, frame), PROMPT);
            assertThat(Arrays.copyOf(answer, 8)).as("frame %s", hex(frame)).isEqualTo(SASL_HEADER);
            socket.close();
            socket = null;
        }
        byte[] afterSasl = {(byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 2, 0, 0, 0};
        send(concat(SASL_HEADER, saslInitAnonymous(), AMQP_HEADER, afterSasl), PROMPT);
        assertFreshConnectionWorks();
    }

    // ---- plumbing ----

    /** sasl-init (0x41) with mechanism ANONYMOUS, in a SASL frame. */
    private static byte[] saslInitAnonymous() {
        byte[] mechanism = "ANONYMOUS".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x00, 0x53, 0x41, (byte) 0xc0, (byte) (1 + 2 + mechanism.length), 1,
                (byte) 0xa3, (byte) mechanism.length});
        body.writeBytes(mechanism);
        int size = 8 + body.size();
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(new byte[] {0, 0, 0, (byte) size, 2, 1, 0, 0});
        frame.writeBytes(body.toByteArray());
        return frame.toByteArray();
    }

    private void open() throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), broker.amqpPort()), 5000);
    }

    /** Writes the bytes on a new connection and returns all the broker sent until it closed. */
    private byte[] send(byte[] bytes, Duration closedWithin) throws IOException {
        open();
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } catch (SocketException closedAlready) {
            // the broker may close before it read everything; what it sent is still readable
        }
        return readUntilClosed(closedWithin);
    }

    private byte[] readUntilClosed(Duration within) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + within.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("connection still open after " + within.toMillis() + " ms; received "
                        + hex(received.toByteArray()));
            }
            socket.setSoTimeout((int) left);
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (SocketException reset) {
                return received.toByteArray();
            }
            if (n < 0) {
                return received.toByteArray();
            }
            received.write(buffer, 0, n);
        }
    }

    private void assertFreshConnectionWorks() throws Exception {
        try (Connection connection = new JmsConnectionFactory(broker.amqpUri()).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("after.bad.input");
            MessageConsumer consumer = session.createConsumer(queue);
            session.createProducer(queue).send(session.createTextMessage("still serving"));
            TextMessage received = (TextMessage) consumer.receive(5000);
            assertThat(received).as("a fresh Qpid JMS connection after the bad input").isNotNull();
            assertThat(received.getText()).isEqualTo("still serving");
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 200); i++) {
            text.append(String.format("%02x", bytes[i]));
        }
        return text + (bytes.length > 200 ? "... (" + bytes.length + " bytes)" : "");
    }
}
