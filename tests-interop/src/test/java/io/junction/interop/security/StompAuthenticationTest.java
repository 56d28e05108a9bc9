package io.junction.interop.security;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** STOMP CONNECT with login and passcode: ERROR then close when refused, CONNECTED when accepted. */
@Timeout(60)
class StompAuthenticationTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker()
            .withUser("alice", "alice-pw", "apps")
            .withListenerSettings("allowAnonymous: false");

    @Test
    void withoutCredentialsGetsAnErrorAndIsClosed() throws Exception {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            client.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost", "receipt:r1"));
            RawFrame error = client.expectErrorAndClose();
            assertThat(error.header("message")).isEqualTo("authentication failed");
            assertThat(error.header("receipt-id")).isEqualTo("r1");
        }
    }

    @Test
    void wrongPasswordGetsAnErrorAndIsClosed() throws Exception {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            client.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost", "login:alice",
                    "passcode:nope"));
            assertThat(client.expectErrorAndClose().header("message")).isEqualTo("authentication failed");
        }
    }

    @Test
    void rightPasswordConnectsAndSends() throws Exception {
        try (RawStompClient client = RawStompClient.connected(broker.stompPort(), "1.2", "login:alice",
                "passcode:alice-pw")) {
            client.write(RawStompClient.frameWithBody("SEND", "hi", "destination:/queue/auth", "receipt:s1"));
            assertThat(client.readFrame().command()).isEqualTo("RECEIPT");
        }
    }

    @Test
    void framesAfterARefusedConnectAreNotProcessed() throws Exception {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            client.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost", "login:alice",
                    "passcode:nope")
                    + RawStompClient.frameWithBody("SEND", "sneaky", "destination:/queue/sneaky"));
            client.expectErrorAndClose();
        }
        assertThat(broker.broker().queue("sneaky")).isNull();
    }
}
