package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Queues, topics, wildcard subscriptions and virtual topics, addressed the STOMP way. */
class DestinationsTest {

    private static final Duration QUIET = Duration.ofMillis(400);

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void queueMessageReachesItsConsumer() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/orders", "order 1");
            client.subscribe("/queue/orders", "1");

            StompEvent message = client.awaitMessage();
            assertThat(message.body()).isEqualTo("order 1");
            assertThat(message.header("destination")).isEqualTo("/queue/orders");
            assertThat(message.header("message-id")).isNotBlank();
        }
    }

    @Test
    void bareNameIsAQueue() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("plain", "to a bare name");
            client.subscribe("/queue/plain", "1");

            assertThat(client.awaitMessage().body()).isEqualTo("to a bare name");
        }
    }

    @Test
    void topicMessageIsCopiedToEverySubscriber() {
        try (StompPy first = StompPy.connect(broker.stompPort(), "1.2");
             StompPy second = StompPy.connect(broker.stompPort(), "1.2");
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            first.subscribe("/topic/prices.eur", "1");
            second.subscribe("/topic/prices.eur", "1");

            producer.send("/topic/prices.eur", "1.08");

            for (StompPy subscriber : List.of(first, second)) {
                StompEvent message = subscriber.awaitMessage();
                assertThat(message.body()).isEqualTo("1.08");
                assertThat(message.header("destination")).isEqualTo("/topic/prices.eur");
                subscriber.assertNoMessage(QUIET);
            }
        }
    }

    @Test
    void topicMessageSentWithoutSubscribersIsNotKept() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/topic/nobody.listens", "lost");
            client.subscribe("/topic/nobody.listens", "1");

            client.assertNoMessage(QUIET);
        }
    }

    @Test
    void greaterThanWildcardMatchesTheParentAndAllRemainingWords() {
        try (StompPy subscriber = StompPy.connect(broker.stompPort(), "1.2");
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            subscriber.subscribe("/topic/orders.>", "1");

            producer.send("/topic/orders", "no word after orders");
            producer.send("/topic/orders.eu", "one word");
            producer.send("/topic/shipments.eu", "other topic");
            producer.send("/topic/orders.eu.paid", "two words");

            // As MQTT's orders/# does, orders.> matches orders itself.
            List<StompEvent> messages = subscriber.awaitMessages(3);
            assertThat(messages).extracting(StompEvent::body)
                    .containsExactly("no word after orders", "one word", "two words");
            assertThat(messages).extracting(m -> m.header("destination"))
                    .containsExactly("/topic/orders", "/topic/orders.eu", "/topic/orders.eu.paid");
            subscriber.assertNoMessage(QUIET);
        }
    }

    @Test
    void starWildcardMatchesExactlyOneWord() {
        try (StompPy subscriber = StompPy.connect(broker.stompPort(), "1.2");
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            subscriber.subscribe("/topic/orders.*.paid", "1");

            producer.send("/topic/orders.eu.new", "not paid");
            producer.send("/topic/orders.eu.north.paid", "two words between");
            producer.send("/topic/orders.paid", "no word between");
            producer.send("/topic/orders.us.paid", "paid in us");

            StompEvent message = subscriber.awaitMessage();
            assertThat(message.body()).isEqualTo("paid in us");
            assertThat(message.header("destination")).isEqualTo("/topic/orders.us.paid");
            subscriber.assertNoMessage(QUIET);
        }
    }

    @Test
    void sendingToAWildcardIsRefused() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.request(StompPy.command("send", "destination", "/topic/orders.>", "body", "x"));

            assertThat(client.awaitEvent("error").header("message")).contains("wildcard");
        }
    }

    @Test
    void virtualTopicFeedsEachConsumerQueue() {
        try (StompPy consumerA1 = StompPy.connect(broker.stompPort(), "1.2");
             StompPy consumerA2 = StompPy.connect(broker.stompPort(), "1.2");
             StompPy consumerB = StompPy.connect(broker.stompPort(), "1.2");
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            consumerA1.subscribe("/queue/Consumer.A.VirtualTopic.orders", "1");
            consumerA2.subscribe("/queue/Consumer.A.VirtualTopic.orders", "1");
            consumerB.subscribe("/queue/Consumer.B.VirtualTopic.orders", "1");

            producer.send("/topic/VirtualTopic.orders", "first");
            producer.send("/topic/VirtualTopic.orders", "second");

            // B alone gets every message; the two A consumers share them like any queue's consumers.
            assertThat(consumerB.awaitMessages(2)).extracting(StompEvent::body).containsExactly("first", "second");
            assertThat(List.of(consumerA1.awaitMessage().body(), consumerA2.awaitMessage().body()))
                    .containsExactlyInAnyOrder("first", "second");
            consumerA1.assertNoMessage(QUIET);
            consumerA2.assertNoMessage(Duration.ZERO);
        }
    }

    @Test
    void virtualTopicIsStillATopicForItsSubscribers() {
        try (StompPy subscriber = StompPy.connect(broker.stompPort(), "1.2");
             StompPy queueConsumer = StompPy.connect(broker.stompPort(), "1.2");
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            subscriber.subscribe("/topic/VirtualTopic.orders", "1");
            queueConsumer.subscribe("/queue/Consumer.A.VirtualTopic.orders", "1");

            producer.send("/topic/VirtualTopic.orders", "both");

            assertThat(subscriber.awaitMessage().body()).isEqualTo("both");
            assertThat(queueConsumer.awaitMessage().body()).isEqualTo("both");
        }
    }
}
