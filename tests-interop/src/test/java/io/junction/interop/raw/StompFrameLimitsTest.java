package io.junction.interop.raw;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static io.junction.interop.raw.RawStompClient.frameWithBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configured limits of a STOMP listener (maxMessageSize) and of {@code protocols.stomp} (header count,
 * header line length)
 * and malformed header encoding end the connection with an ERROR frame.
 */
class StompFrameLimitsTest {

    private static final int MAX_FRAME_SIZE = 2048;
    private static final int MAX_HEADERS = 16;
    private static final int MAX_HEADER_LINE_LENGTH = 256;

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker("""
            protocols:
              stomp:
                maxHeaders: %d
                maxHeaderLineLength: %d
            """.formatted(MAX_HEADERS, MAX_HEADER_LINE_LENGTH)).withListenerSettings("maxMessageSize: 2KB");

    @AfterEach
    void brokerStillServesAWellBehavedClient() throws IOException {
        WellBehavedClient.assertRoundTrip(broker.stompPort());
    }

    @Test
    void frameWithinTheLimitsIsDelivered() throws IOException {
        String body = "x".repeat(MAX_FRAME_SIZE / 2);
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(RawStompClient.frame("SUBSCRIBE", "id:1", "destination:/queue/limits", "receipt:s"));
            client.readFrame();
            client.write(frameWithBody("SEND", body, "destination:/queue/limits",
                    "content-length:" + body.length()));
            assertThat(client.readFrame().bodyText()).isEqualTo(body);
        }
    }

    @Test
    void bodyOverMaxFrameSizeWithContentLengthIsRefused() throws IOException {
        String body = "x".repeat(2 * MAX_FRAME_SIZE);
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(frameWithBody("SEND", body, "destination:/queue/limits", "content-length:" + body.length()));
            assertThat(client.expectErrorAndClose().header("message")).contains("maximum message size");
        }
    }

    @Test
    void bodyOverMaxFrameSizeWithoutContentLengthIsRefused() throws IOException {
        String body = "x".repeat(2 * MAX_FRAME_SIZE);
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(frameWithBody("SEND", body, "destination:/queue/limits"));
            assertThat(client.expectErrorAndClose().header("message")).contains("maximum message size");
        }
    }

    @Test
    void tooManyHeadersAreRefused() throws IOException {
        List<String> headers = new ArrayList<>(List.of("destination:/queue/limits"));
        for (int i = 0; i < MAX_HEADERS + 4; i++) {
            headers.add("x-header-" + i + ":" + i);
        }
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(frameWithBody("SEND", "many headers", headers.toArray(String[]::new)));
            assertThat(client.expectErrorAndClose().header("message")).contains("headers");
        }
    }

    @Test
    void headerLineOverTheMaximumLengthIsRefused() throws IOException {
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(frameWithBody("SEND", "long header", "destination:/queue/limits",
                    "x-long:" + "y".repeat(MAX_HEADER_LINE_LENGTH + 10)));
            assertThat(client.expectErrorAndClose().header("message")).contains(Integer.toString(MAX_HEADER_LINE_LENGTH));
        }
    }

    @Test
    void invalidEscapeSequenceInA12HeaderIsRefused() throws IOException {
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(frameWithBody("SEND", "bad escape", "destination:/queue/limits", "x-path:a\\tb"));
            assertThat(client.expectErrorAndClose().header("message")).contains("escape");
        }
    }
}
