package io.junction.interop.raw;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.junction.interop.raw.RawStompClient.frame;
import static io.junction.interop.raw.RawStompClient.frameWithBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Byte-level details of STOMP frames: header escaping per version, line endings, binary bodies. */
class StompWireFormatTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker().withUser("guest", "pass:word");

    @ParameterizedTest(name = "STOMP {0}")
    @ValueSource(strings = {"1.1", "1.2"})
    void escapedHeaderValueArrivesEscapedOnTheMessage(String version) throws IOException {
        String escaped = "a\\cb\\nc\\\\d";
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), version)) {
            subscribe(client, "/queue/escaping");
            client.write(frameWithBody("SEND", "escaped", "destination:/queue/escaping", "x-note:" + escaped));

            RawFrame message = client.readFrame();

            assertThat(message.command()).isEqualTo("MESSAGE");
            assertThat(message.header("x-note")).isEqualTo(escaped);
        }
    }

    @Test
    void stomp10SubscriberGetsHeaderValuesUnescaped() throws IOException {
        try (RawStompClient receiver = RawStompClient.connected(broker.stompPort(), "1.0");
             RawStompClient sender = RawStompClient.connected(broker.stompPort(), "1.2")) {
            subscribe(receiver, "/queue/to-1.0");
            sender.write(frameWithBody("SEND", "escaped", "destination:/queue/to-1.0", "x-note:a\\cb\\\\c"));

            RawFrame message = receiver.readFrame();

            assertThat(message.header("x-note")).isEqualTo("a:b\\c");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a\\cb", "C\\temp", "a\\\\b"})
    void stomp10HeaderValuesWithBackslashesPassVerbatim(String verbatim) throws IOException {
        assertThat(stomp10RoundTripOfHeader(verbatim).header("x-note")).isEqualTo(verbatim);
    }

    @Test
    void stomp10HeaderValuesWithColonsPassVerbatim() throws IOException {
        assertThat(stomp10RoundTripOfHeader("12:30").header("x-note")).isEqualTo("12:30");
    }

    /** STOMP 1.2 "Value Encoding": CONNECT and CONNECTED frames are not escaped, so a colon is an ordinary character. */
    @Test
    void connectHeaderValuesMayContainColons() throws IOException {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            assertThat(client.connect("1.2", "login:guest", "passcode:pass:word").command()).isEqualTo("CONNECTED");
        }
    }

    @Test
    void crlfLineEndingsAreAccepted() throws IOException {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            client.write("CONNECT\r\naccept-version:1.2\r\nhost:localhost\r\n\r\n\0");
            assertThat(client.readFrame().command()).isEqualTo("CONNECTED");
            client.write("SUBSCRIBE\r\nid:1\r\ndestination:/queue/crlf\r\nreceipt:s\r\n\r\n\0");
            assertThat(client.readFrame().header("receipt-id")).isEqualTo("s");
            client.write("SEND\r\ndestination:/queue/crlf\r\nx-custom:value\r\n\r\nbody\0");

            RawFrame message = client.readFrame();

            assertThat(message.header("destination")).isEqualTo("/queue/crlf");
            assertThat(message.header("x-custom")).isEqualTo("value");
            assertThat(message.bodyText()).isEqualTo("body");
        }
    }

    @Test
    void bodyWithNulBytesRoundTripsWithContentLength() throws IOException {
        byte[] body = {'a', 0, 'b', 0, 0, 'c', (byte) 0xff};
        ByteArrayOutputStream send = new ByteArrayOutputStream();
        send.writeBytes(("SEND\ndestination:/queue/binary\ncontent-length:" + body.length + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        send.writeBytes(body);
        send.write(0);
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            subscribe(client, "/queue/binary");
            client.write(send.toByteArray());

            RawFrame message = client.readFrame();

            assertThat(message.header("content-length")).isEqualTo(Integer.toString(body.length));
            assertThat(message.body()).isEqualTo(body);
        }
    }

    @Test
    void abruptCloseMidFrameDoesNotDisturbOthers() throws IOException {
        try (RawStompClient receiver = RawStompClient.connected(broker.stompPort(), "1.2")) {
            subscribe(receiver, "/queue/bystander");
            RawStompClient rude = RawStompClient.connected(broker.stompPort(), "1.2");
            rude.write("SEND\ndestination:/queue/bystander\ncontent-length:100\n\nonly part of the bo");
            rude.abort();
            await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().connectionCount() == 1);

            try (RawStompClient sender = RawStompClient.connected(broker.stompPort(), "1.2")) {
                sender.write(frameWithBody("SEND", "after the rude one", "destination:/queue/bystander", "receipt:sent"));
                assertThat(sender.readFrame().header("receipt-id")).isEqualTo("sent");
            }

            assertThat(receiver.readFrame().bodyText()).isEqualTo("after the rude one");
        }
    }

    private RawFrame stomp10RoundTripOfHeader(String value) throws IOException {
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.0")) {
            subscribe(client, "/queue/verbatim");
            client.write(frameWithBody("SEND", "verbatim", "destination:/queue/verbatim", "x-note:" + value));
            RawFrame message = client.readFrame();
            assertThat(message.command()).as("reply to SEND: %s", message).isEqualTo("MESSAGE");
            return message;
        }
    }

    private static void subscribe(RawStompClient client, String destination) throws IOException {
        client.write(frame("SUBSCRIBE", "id:1", "destination:" + destination, "receipt:subscribed"));
        RawFrame receipt = client.readFrame();
        assertThat(receipt.header("receipt-id")).as("receipt for SUBSCRIBE: %s", receipt).isEqualTo("subscribed");
    }
}
