package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** NACK, redelivery delay and the dead-letter queue, per destination policy. */
class RedeliveryTest {

    private static final Duration QUIET = Duration.ofMillis(400);
    private static final long DELAY_MILLIS = 600;

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker("""
            destinations:
              policies:
                - match: "slow.>"
                  redeliveryDelay: %dms
                - match: "perdest.>"
                  maxRedeliveries: 0
                  deadLetterPerDestination: true
                - match: ">"
                  maxRedeliveries: 2
            """.formatted(DELAY_MILLIS));

    @ParameterizedTest
    @ValueSource(strings = {"1.1", "1.2"})
    void nackRedeliversMarkedAsRedelivered(String version) {
        try (StompPy client = StompPy.connect(broker.stompPort(), version)) {
            client.send("/queue/orders", "retry me");
            client.subscribe("/queue/orders", "1", "client-individual");

            StompEvent first = client.awaitMessage();
            assertThat(first.headers()).doesNotContainKey("redelivered");
            client.nack(first);

            StompEvent second = client.awaitMessage();
            assertThat(second.body()).isEqualTo("retry me");
            assertThat(second.header("message-id")).isEqualTo(first.header("message-id"));
            assertThat(second.header("redelivered")).isEqualTo("true");
        }
    }

    @Test
    void afterMaxRedeliveriesTheMessageGoesToTheDeadLetterQueue() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/orders", "poison");
            client.subscribe("/queue/orders", "1", "client-individual");

            // The first delivery and maxRedeliveries (2) more, each rejected.
            for (int delivery = 0; delivery < 3; delivery++) {
                client.nack(client.awaitMessage());
            }
            client.assertNoMessage(QUIET);

            client.subscribe("/queue/DLQ", "dlq");
            StompEvent dead = client.awaitMessage();
            assertThat(dead.body()).isEqualTo("poison");
            assertThat(dead.header("originalDestination")).isEqualTo("queue://orders");
            assertThat(dead.header("dlqDeliveryFailureCause")).contains("max redeliveries");
        }
    }

    @Test
    void deadLetterIsAddressedToTheDeadLetterQueue() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/perdest.orders", "once only");
            client.subscribe("/queue/perdest.orders", "1", "client-individual");
            client.nack(client.awaitMessage());

            client.subscribe("/queue/DLQ.perdest.orders", "dlq");
            // As in ActiveMQ: the destination is where the message is now, originalDestination where it was sent.
            assertThat(client.awaitMessage().header("destination")).isEqualTo("/queue/DLQ.perdest.orders");
        }
    }

    @Test
    void deadLetterQueuePerDestination() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/perdest.orders", "once only");
            client.subscribe("/queue/perdest.orders", "1", "client-individual");
            client.nack(client.awaitMessage());

            client.subscribe("/queue/DLQ.perdest.orders", "dlq");
            StompEvent dead = client.awaitMessage();
            assertThat(dead.body()).isEqualTo("once only");
            assertThat(dead.header("originalDestination")).isEqualTo("queue://perdest.orders");
        }
    }

    @Test
    void redeliveryWaitsForTheConfiguredDelay() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/slow.orders", "later");
            client.subscribe("/queue/slow.orders", "1", "client-individual");

            StompEvent first = client.awaitMessage();
            long rejectedAt = System.nanoTime();
            client.nack(first);
            StompEvent again = client.awaitMessage();
            long waitedMillis = (System.nanoTime() - rejectedAt) / 1_000_000;

            assertThat(again.header("redelivered")).isEqualTo("true");
            assertThat(waitedMillis).isGreaterThanOrEqualTo(DELAY_MILLIS - 20);
        }
    }
}
