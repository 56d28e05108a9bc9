package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SUBSCRIBE ack modes auto, client (cumulative) and client-individual. */
class AckModeTest {

    private static final Duration QUIET = Duration.ofMillis(400);

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void autoAckRemovesMessagesAsTheyAreDelivered() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            sendNumbered(client, "auto", 2);
            client.subscribe("/queue/auto", "1", "auto");

            assertThat(client.awaitMessages(2)).allSatisfy(m -> assertThat(m.headers()).doesNotContainKey("ack"));
            await().untilAsserted(() -> assertThat(broker.broker().queue("auto").depth()).isZero());
            client.disconnect();
        }
        try (StompPy again = StompPy.connect(broker.stompPort(), "1.2")) {
            again.subscribe("/queue/auto", "1", "auto");
            again.assertNoMessage(QUIET);
        }
    }

    @Test
    void clientAckIsCumulative() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            sendNumbered(client, "cumulative", 4);
            client.subscribe("/queue/cumulative", "1", "client");

            List<StompEvent> messages = client.awaitMessages(4);
            client.ack(messages.get(2));
            client.disconnect();
        }
        try (StompPy again = StompPy.connect(broker.stompPort(), "1.2")) {
            again.subscribe("/queue/cumulative", "1", "client");

            StompEvent redelivered = again.awaitMessage();
            assertThat(redelivered.body()).isEqualTo("m3");
            assertThat(redelivered.header("redelivered")).isEqualTo("true");
            again.assertNoMessage(QUIET);
        }
    }

    @Test
    void clientIndividualAckAcknowledgesOnlyThatMessage() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            sendNumbered(client, "individual", 3);
            client.subscribe("/queue/individual", "1", "client-individual");

            List<StompEvent> messages = client.awaitMessages(3);
            client.ack(messages.get(1));
            client.disconnect();
        }
        try (StompPy again = StompPy.connect(broker.stompPort(), "1.2")) {
            again.subscribe("/queue/individual", "1", "client-individual");

            List<StompEvent> redelivered = again.awaitMessages(2);
            assertThat(redelivered).extracting(StompEvent::body).containsExactly("m0", "m2");
            assertThat(redelivered).allSatisfy(m -> assertThat(m.header("redelivered")).isEqualTo("true"));
            again.assertNoMessage(QUIET);
        }
    }

    @Test
    void clientAckReleasesPrefetchForEveryMessageItCovers() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            sendNumbered(client, "credit", 4);
            client.subscribe("/queue/credit", "1", "client", Map.of("activemq.prefetchSize", "2"));

            List<StompEvent> firstTwo = client.awaitMessages(2);
            client.assertNoMessage(QUIET);
            client.ack(firstTwo.get(1));

            assertThat(client.awaitMessages(2)).extracting(StompEvent::body).containsExactly("m2", "m3");
        }
    }

    @Test
    void unsubscribeGivesUnacknowledgedMessagesBack() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            sendNumbered(client, "returned", 2);
            client.subscribe("/queue/returned", "1", "client-individual");
            client.awaitMessages(2);

            client.unsubscribe("1", Map.of());
            client.subscribe("/queue/returned", "2", "client-individual");

            List<StompEvent> again = client.awaitMessages(2);
            assertThat(again).extracting(StompEvent::body).containsExactly("m0", "m1");
            assertThat(again).allSatisfy(m -> assertThat(m.header("redelivered")).isEqualTo("true"));
        }
    }

    @Test
    void unacknowledgedMessagesReturnWhenTheConnectionDrops() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/dropped", "in flight");
            client.subscribe("/queue/dropped", "1", "client");
            client.awaitMessage();
            client.request(StompPy.command("close"));
        }
        try (StompPy again = StompPy.connect(broker.stompPort(), "1.2")) {
            again.subscribe("/queue/dropped", "1", "client");

            StompEvent message = again.awaitMessage();
            assertThat(message.body()).isEqualTo("in flight");
            assertThat(message.header("redelivered")).isEqualTo("true");
        }
    }

    @Test
    void ackForAnUnknownMessageIsAnError() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.request(StompPy.command("ack", "id", "no-such-ack-id", "receipt", "bad-ack"));

            StompEvent error = client.awaitEvent("error");
            assertThat(error.header("message")).contains("no-such-ack-id");
            assertThat(error.header("receipt-id")).isEqualTo("bad-ack");
        }
    }

    static void sendNumbered(StompPy client, String queue, int count) {
        for (int i = 0; i < count; i++) {
            client.send("/queue/" + queue, "m" + i, Map.of());
        }
    }
}
