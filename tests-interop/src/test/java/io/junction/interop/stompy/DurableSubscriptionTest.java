package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Durable topic subscriptions: {@code client-id} on CONNECT plus {@code activemq.subscriptionName}. */
class DurableSubscriptionTest {

    private static final Duration QUIET = Duration.ofMillis(400);
    private static final Map<String, String> CLIENT = Map.of("client-id", "news-reader");
    private static final Map<String, String> DURABLE = Map.of("activemq.subscriptionName", "headlines");

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void keepsMessagesWhileTheSubscriberIsAway() {
        try (StompPy subscriber = StompPy.connect(broker.stompPort(), "1.2", CLIENT)) {
            subscriber.subscribe("/topic/news", "1", "client-individual", DURABLE);
            subscriber.disconnect();
        }
        awaitClientGone();
        try (StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            producer.send("/topic/news", "while you were away 1");
            producer.send("/topic/news", "while you were away 2");
        }
        try (StompPy subscriber = StompPy.connect(broker.stompPort(), "1.2", CLIENT)) {
            subscriber.subscribe("/topic/news", "1", "client-individual", DURABLE);

            assertThat(subscriber.awaitMessages(2)).extracting(StompEvent::body)
                    .containsExactly("while you were away 1", "while you were away 2");
        }
    }

    @Test
    void unsubscribeNamingTheSubscriptionRemovesIt() {
        try (StompPy subscriber = StompPy.connect(broker.stompPort(), "1.2", CLIENT)) {
            subscriber.subscribe("/topic/news", "1", "auto", DURABLE);
            assertThat(broker.broker().queue("news-reader:headlines")).isNotNull();

            subscriber.unsubscribe("1", DURABLE);
            await().untilAsserted(() -> assertThat(broker.broker().queue("news-reader:headlines")).isNull());
            subscriber.disconnect();
        }
        awaitClientGone();
        try (StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            producer.send("/topic/news", "nobody keeps this");
        }
        try (StompPy subscriber = StompPy.connect(broker.stompPort(), "1.2", CLIENT)) {
            subscriber.subscribe("/topic/news", "1", "auto", DURABLE);
            subscriber.assertNoMessage(QUIET);
        }
    }

    @Test
    void plainUnsubscribeKeepsTheDurableSubscription() {
        try (StompPy subscriber = StompPy.connect(broker.stompPort(), "1.2", CLIENT);
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            subscriber.subscribe("/topic/news", "1", "auto", DURABLE);
            subscriber.unsubscribe("1", Map.of());

            producer.send("/topic/news", "kept");

            subscriber.subscribe("/topic/news", "2", "auto", DURABLE);
            assertThat(subscriber.awaitMessage().body()).isEqualTo("kept");
        }
    }

    @Test
    void durableSubscriptionWithoutClientIdIsAnError() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.request(StompPy.command("subscribe", "destination", "/topic/news", "id", "1", "headers", DURABLE));

            assertThat(client.awaitEvent("error").header("message")).contains("client id");
        }
    }

    /** The client id is free again once the broker has seen the connection close. */
    private void awaitClientGone() {
        await().untilAsserted(() -> assertThat(broker.broker().connectionCount()).isZero());
    }
}
