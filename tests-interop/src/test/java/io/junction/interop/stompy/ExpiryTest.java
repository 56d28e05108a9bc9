package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code expires} header: expired messages are dropped, or moved to the expiry queue by policy. */
class ExpiryTest {

    private static final Duration QUIET = Duration.ofMillis(400);

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker("""
            destinations:
              expiryScanInterval: 100ms
              policies:
                - match: "expiring.>"
                  expiry: expiryQueue
            """);

    @Test
    void messageThatExpiredBeforeItWasSentIsNotDelivered() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/stale", "too late", expiresIn(-1000));
            client.send("/queue/stale", "fresh");
            client.subscribe("/queue/stale", "1");

            assertThat(client.awaitMessage().body()).isEqualTo("fresh");
            client.assertNoMessage(QUIET);
        }
    }

    @Test
    void messageThatExpiresWhileWaitingIsDropped() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/short", "short-lived", expiresIn(200));
            client.send("/queue/short", "long-lived", expiresIn(60_000));
            assertThat(broker.broker().queue("short").enqueued()).isEqualTo(2);

            await().untilAsserted(() -> assertThat(broker.broker().queue("short").depth()).isEqualTo(1));
            client.subscribe("/queue/short", "1");

            assertThat(client.awaitMessage().body()).isEqualTo("long-lived");
            client.assertNoMessage(QUIET);
        }
    }

    @Test
    void expiryQueuePolicyMovesExpiredMessages() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/expiring.orders", "expired order", expiresIn(200));

            client.subscribe("/queue/ExpiryQueue", "1");
            StompEvent expired = client.awaitMessage();

            assertThat(expired.body()).isEqualTo("expired order");
            assertThat(expired.header("originalDestination")).isEqualTo("queue://expiring.orders");
            assertThat(expired.header("dlqDeliveryFailureCause")).isEqualTo("expired");
            assertThat(expired.header("expires")).isEqualTo("0");
            assertThat(broker.broker().queue("expiring.orders").depth()).isZero();
        }
    }

    @Test
    void expiredMessageIsAddressedToTheExpiryQueue() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/expiring.orders", "expired order", expiresIn(200));

            client.subscribe("/queue/ExpiryQueue", "1");
            // As in ActiveMQ: the destination is where the message is now, originalDestination where it was sent.
            assertThat(client.awaitMessage().header("destination")).isEqualTo("/queue/ExpiryQueue");
        }
    }

    private static Map<String, String> expiresIn(long millis) {
        return Map.of("expires", Long.toString(System.currentTimeMillis() + millis));
    }
}
