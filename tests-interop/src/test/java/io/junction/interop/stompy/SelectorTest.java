package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code selector} header of SUBSCRIBE: JMS message selectors over headers and JMS fields. */
class SelectorTest {

    private static final Duration QUIET = Duration.ofMillis(400);

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void queueConsumerGetsOnlyMatchingMessages() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/paint", "blue paint", Map.of("color", "blue"));
            client.send("/queue/paint", "red paint", Map.of("color", "red"));

            client.subscribe("/queue/paint", "1", "auto", Map.of("selector", "color = 'red'"));

            assertThat(client.awaitMessage().body()).isEqualTo("red paint");
            client.assertNoMessage(QUIET);
            assertThat(broker.broker().queue("paint").depth()).isEqualTo(1);
        }
    }

    @Test
    void topicSubscriberGetsOnlyMatchingMessages() {
        try (StompPy subscriber = StompPy.connect(broker.stompPort(), "1.2");
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            subscriber.subscribe("/topic/paint", "1", "auto", Map.of("selector", "color = 'red'"));

            producer.send("/topic/paint", "no color");
            producer.send("/topic/paint", "blue paint", Map.of("color", "blue"));
            producer.send("/topic/paint", "red paint", Map.of("color", "red"));

            assertThat(subscriber.awaitMessage().body()).isEqualTo("red paint");
            subscriber.assertNoMessage(QUIET);
        }
    }

    @Test
    void selectorSeesJmsHeaderFields() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/fields", "urgent invoice", Map.of("priority", "8", "type", "invoice"));
            client.send("/queue/fields", "routine invoice", Map.of("priority", "2", "type", "invoice"));
            client.send("/queue/fields", "urgent receipt", Map.of("priority", "8", "type", "receipt"));

            client.subscribe("/queue/fields", "1", "auto",
                    Map.of("selector", "JMSPriority > 5 AND JMSType = 'invoice'"));

            assertThat(client.awaitMessage().body()).isEqualTo("urgent invoice");
            client.assertNoMessage(QUIET);
        }
    }

    @Test
    void invalidSelectorIsAnError() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.request(StompPy.command("subscribe", "destination", "/queue/paint", "id", "1",
                    "headers", Map.of("selector", "color = = 'red'"), "receipt", "bad-selector"));

            StompEvent error = client.awaitEvent("error");
            assertThat(error.header("message")).isNotBlank();
            assertThat(error.header("receipt-id")).isEqualTo("bad-selector");
            client.awaitEvent("disconnected");
        }
    }
}
