package io.junction.interop.raw;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static io.junction.interop.raw.RawStompClient.frame;
import static io.junction.interop.raw.RawStompClient.frameWithBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames a client library would not send get an ERROR frame whose {@code message} header says what
 * was wrong, then the connection closes; the broker keeps serving new connections.
 */
class StompErrorFramesTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @AfterEach
    void brokerStillServesAWellBehavedClient() throws IOException {
        WellBehavedClient.assertRoundTrip(broker.stompPort());
    }

    @Test
    void frameBeforeConnectIsRefused() throws IOException {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            client.write(frameWithBody("SEND", "too early", "destination:/queue/early"));
            assertThat(client.expectErrorAndClose().header("message")).contains("CONNECT");
        }
    }

    @Test
    void secondConnectIsRefused() throws IOException {
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(frame("CONNECT", "accept-version:1.2", "host:localhost"));
            assertThat(client.expectErrorAndClose().header("message")).contains("already connected");
        }
    }

    @Test
    void unknownCommandIsNamedInTheError() throws IOException {
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(frame("FROBNICATE", "destination:/queue/a"));
            assertThat(client.expectErrorAndClose().header("message")).contains("FROBNICATE");
        }
    }

    @Test
    void sendWithoutDestinationNamesTheMissingHeader() throws IOException {
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(frameWithBody("SEND", "nowhere to go"));
            assertThat(client.expectErrorAndClose().header("message")).contains("SEND").contains("destination");
        }
    }

    @ParameterizedTest(name = "STOMP {0}")
    @ValueSource(strings = {"1.1", "1.2"})
    void subscribeWithoutIdIsRefusedSince11(String version) throws IOException {
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), version)) {
            client.write(frame("SUBSCRIBE", "destination:/queue/no-id"));
            assertThat(client.expectErrorAndClose().header("message")).contains("SUBSCRIBE").contains("id");
        }
    }

    @Test
    void unsupportedAcceptVersionIsRefused() throws IOException {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            client.write(frame("CONNECT", "accept-version:9.9", "host:localhost"));
            RawFrame error = client.expectErrorAndClose();
            assertThat(error.header("message")).contains("version").contains("1.2");
        }
    }

    /** STOMP 1.2 "Protocol Negotiation": the ERROR frame carries a version header listing what the server speaks. */
    @Test
    void unsupportedAcceptVersionErrorListsTheSupportedVersions() throws IOException {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            client.write(frame("CONNECT", "accept-version:9.9", "host:localhost"));
            assertThat(client.expectErrorAndClose().header("version")).isEqualTo("1.0,1.1,1.2");
        }
    }

    @Test
    void ackOfUnknownIdIsRefused() throws IOException {
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(frame("ACK", "id:no-such-ack"));
            assertThat(client.expectErrorAndClose().header("message")).contains("no-such-ack");
        }
    }

    @Test
    void commitOfUnknownTransactionIsRefused() throws IOException {
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(frame("COMMIT", "transaction:tx-never-begun"));
            assertThat(client.expectErrorAndClose().header("message")).contains("tx-never-begun");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SEND\nreceipt:r-42\n\nno destination\0",
            "SUBSCRIBE\nreceipt:r-42\n\n\0",
            "ACK\nid:unknown\nreceipt:r-42\n\n\0",
            "COMMIT\ntransaction:unknown\nreceipt:r-42\n\n\0",
            "CONNECT\naccept-version:1.2\nreceipt:r-42\n\n\0"})
    void errorCarriesTheReceiptIdOfTheBadFrame(String badFrame) throws IOException {
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2")) {
            client.write(badFrame);
            assertThat(client.expectErrorAndClose().header("receipt-id")).isEqualTo("r-42");
        }
    }

    @Test
    void errorForAFrameBeforeConnectCarriesItsReceiptId() throws IOException {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            client.write(frame("SUBSCRIBE", "id:1", "destination:/queue/early", "receipt:r-early"));
            assertThat(client.expectErrorAndClose().header("receipt-id")).isEqualTo("r-early");
        }
    }
}
