package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RECEIPT frames. Every frame method of {@link StompPy} already waits for its receipt; these
 * tests check what a receipt promises and that a failed frame's receipt id comes back on ERROR.
 */
class ReceiptTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void sendReceiptComesAfterTheMessageIsQueued() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/receipts", "routed");

            assertThat(broker.broker().queue("receipts").enqueued()).isEqualTo(1);
        }
    }

    @Test
    void subscribeReceiptComesAfterTheSubscriptionExists() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.subscribe("/queue/receipts", "1");

            assertThat(broker.broker().queue("receipts")).isNotNull();
        }
    }

    @Test
    void errorCarriesTheReceiptIdOfTheFailedFrame() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.request(StompPy.command("send", "destination", "/nowhere/x", "body", "lost",
                    "receipt", "send-7"));

            StompEvent error = client.awaitEvent("error");
            assertThat(error.header("receipt-id")).isEqualTo("send-7");
            assertThat(error.header("message")).contains("/nowhere/x");
            assertThat(error.body()).isNotBlank();
        }
    }
}
