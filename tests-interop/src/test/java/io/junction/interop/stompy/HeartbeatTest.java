package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Heart-beating negotiated with stomp.py, which then beats on its own thread. */
class HeartbeatTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void heartBeatingKeepsAnIdleConnectionOpen() {
        try (StompPy client = StompPy.start(broker.stompPort())) {
            StompEvent connected = client.connect("1.2", Map.of(), 500, 500);
            assertThat(connected.header("heart-beat")).isEqualTo("500,500");

            // Five intervals idle: the broker would close after 750 ms without the client's beats,
            // and stomp.py would give up after 750 ms without the broker's.
            client.assertNoEvent("disconnected", Duration.ofMillis(2500));
            client.assertNoEvent("heartbeat_timeout", Duration.ZERO);
            client.awaitEvent("heartbeat");

            client.send("/queue/alive", "still here");
            client.subscribe("/queue/alive", "1");
            assertThat(client.awaitMessage().body()).isEqualTo("still here");
        }
    }

    @Test
    void intervalsBelowTheBrokerMinimumAreRaised() {
        try (StompPy client = StompPy.start(broker.stompPort())) {
            StompEvent connected = client.connect("1.1", Map.of(), 20, 20);

            assertThat(connected.header("heart-beat")).isEqualTo("100,100");
        }
    }

    @Test
    void noHeartBeatsWhenTheClientAsksForNone() {
        try (StompPy client = StompPy.start(broker.stompPort())) {
            assertThat(client.connect("1.2", Map.of(), 0, 0).header("heart-beat")).isEqualTo("0,0");
            client.assertNoEvent("heartbeat", Duration.ofMillis(300));
        }
    }
}
