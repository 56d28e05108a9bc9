package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** stomp.py's login and passcode against a listener that refuses anonymous access. */
@Timeout(60)
class StompPyAuthenticationTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker()
            .withUser("alice", "alice-pw", "apps")
            .withListenerSettings("allowAnonymous: false");

    @Test
    void withoutCredentialsGetsAnError() {
        try (StompPy client = StompPy.start(broker.stompPort())) {
            client.request(StompPy.command("connect", "version", "1.2", "headers", Map.of()));
            assertThat(client.awaitEvent("error").header("message")).isEqualTo("authentication failed");
        }
    }

    @Test
    void wrongPasswordGetsAnError() {
        try (StompPy client = StompPy.start(broker.stompPort())) {
            client.request(StompPy.command("connect", "version", "1.2", "headers",
                    Map.of("login", "alice", "passcode", "wrong")));
            assertThat(client.awaitEvent("error").header("message")).isEqualTo("authentication failed");
        }
    }

    @Test
    void rightPasswordConnectsAndSends() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2",
                Map.of("login", "alice", "passcode", "alice-pw"))) {
            client.send("/queue/stomppy.auth", "hi");
        }
        assertThat(broker.broker().queue("stomppy.auth").depth()).isEqualTo(1);
    }
}
