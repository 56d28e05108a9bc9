package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One SEND fanned out to several destinations: a comma-separated STOMP destination, or a configured composite. */
class CompositeDestinationTest {

    private static final Duration QUIET = Duration.ofMillis(400);

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker("""
            destinations:
              composites:
                - name: orders.all
                  targets: [queue://orders.eu, queue://orders.us, topic://audit]
            """);

    @Test
    void commaSeparatedDestinationReachesEachMember() {
        try (StompPy queueConsumer = StompPy.connect(broker.stompPort(), "1.2");
             StompPy topicSubscriber = StompPy.connect(broker.stompPort(), "1.2");
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            queueConsumer.subscribe("/queue/a", "1");
            topicSubscriber.subscribe("/topic/b", "1");

            producer.send("/queue/a,/topic/b", "to both");

            StompEvent queued = queueConsumer.awaitMessage();
            StompEvent published = topicSubscriber.awaitMessage();
            assertThat(queued.body()).isEqualTo("to both");
            assertThat(published.body()).isEqualTo("to both");
            // Each copy names the member it was delivered through.
            assertThat(queued.header("destination")).isEqualTo("/queue/a");
            assertThat(published.header("destination")).isEqualTo("/topic/b");
            for (StompPy consumer : List.of(queueConsumer, topicSubscriber)) {
                consumer.assertNoMessage(QUIET);
            }
        }
    }

    @Test
    void configuredCompositeReachesEachTarget() {
        try (StompPy audit = StompPy.connect(broker.stompPort(), "1.2");
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            audit.subscribe("/topic/audit", "1");

            producer.send("/queue/orders.all", "order 7");

            assertThat(audit.awaitMessage().body()).isEqualTo("order 7");
            producer.subscribe("/queue/orders.eu", "eu");
            producer.subscribe("/queue/orders.us", "us");
            assertThat(producer.awaitMessages(2)).extracting(m -> m.header("subscription") + ":" + m.body())
                    .containsExactlyInAnyOrder("eu:order 7", "us:order 7");
            assertThat(broker.broker().queue("orders.all")).isNull();
        }
    }
}
