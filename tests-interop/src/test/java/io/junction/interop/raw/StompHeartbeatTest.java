package io.junction.interop.raw;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** STOMP 1.1 "Heart-beating", both directions, against a real socket. */
class StompHeartbeatTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void silentClientIsDisconnectedAfterTheNegotiatedIntervalPlusGrace() throws IOException {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            RawFrame connected = client.connect("1.2", "heart-beat:500,0");
            assertThat(connected.header("heart-beat")).isEqualTo("0,500");

            Duration untilClosed = client.awaitClosed(Duration.ofSeconds(3));

            assertThat(untilClosed).isBetween(Duration.ofMillis(500), Duration.ofSeconds(3));
        }
    }

    @Test
    void clientThatSendsHeartbeatsStaysConnected() throws IOException, InterruptedException {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            client.connect("1.2", "heart-beat:300,0");
            long end = System.nanoTime() + Duration.ofMillis(1200).toNanos();
            while (System.nanoTime() < end) {
                client.write("\n");
                Thread.sleep(100);
            }
            client.write(RawStompClient.frame("SUBSCRIBE", "id:1", "destination:/queue/alive", "receipt:still-here"));
            assertThat(client.readFrame().header("receipt-id")).isEqualTo("still-here");
        }
    }

    @Test
    void brokerSendsHeartbeatsWhenTheClientAsks() throws IOException {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            RawFrame connected = client.connect("1.2", "heart-beat:0,300");
            assertThat(connected.header("heart-beat")).isEqualTo("300,0");

            int heartbeats = client.countHeartbeats(Duration.ofMillis(1500));

            assertThat(heartbeats).isBetween(2, 7);
        }
    }
}
