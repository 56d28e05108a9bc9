package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How a queue hands its messages to consumers: round-robin, priority, exclusive, prefetch. */
class DispatchTest {

    private static final Duration QUIET = Duration.ofMillis(400);

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void competingConsumersTakeTurns() {
        try (StompPy first = StompPy.connect(broker.stompPort(), "1.2");
             StompPy second = StompPy.connect(broker.stompPort(), "1.2");
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            first.subscribe("/queue/work", "1");
            second.subscribe("/queue/work", "1");

            for (int i = 0; i < 6; i++) {
                producer.send("/queue/work", "job " + i);
            }

            List<String> firstJobs = bodies(first.awaitMessages(3));
            List<String> secondJobs = bodies(second.awaitMessages(3));
            first.assertNoMessage(QUIET);
            second.assertNoMessage(Duration.ZERO);
            // Round-robin: consecutive jobs never go to the same consumer.
            assertThat(firstJobs).isIn(List.of("job 0", "job 2", "job 4"), List.of("job 1", "job 3", "job 5"));
            List<String> all = new ArrayList<>(firstJobs);
            all.addAll(secondJobs);
            assertThat(all).containsExactlyInAnyOrder("job 0", "job 1", "job 2", "job 3", "job 4", "job 5");
        }
    }

    @Test
    void higherPriorityIsDeliveredFirstAndEqualPrioritiesInOrder() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/prio", "low", Map.of("priority", "1"));
            client.send("/queue/prio", "default 1");
            client.send("/queue/prio", "high", Map.of("priority", "9"));
            client.send("/queue/prio", "default 2");

            client.subscribe("/queue/prio", "1");

            List<StompEvent> messages = client.awaitMessages(4);
            assertThat(bodies(messages)).containsExactly("high", "default 1", "default 2", "low");
            assertThat(messages).extracting(m -> m.header("priority")).containsExactly("9", "4", "4", "1");
        }
    }

    @Test
    void exclusiveConsumerGetsEverythingUntilItLeaves() {
        try (StompPy exclusive = StompPy.connect(broker.stompPort(), "1.2");
             StompPy other = StompPy.connect(broker.stompPort(), "1.2");
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            other.subscribe("/queue/ledger", "1");
            exclusive.subscribe("/queue/ledger", "1", "auto", Map.of("activemq.exclusive", "true"));

            for (int i = 0; i < 4; i++) {
                producer.send("/queue/ledger", "entry " + i);
            }
            assertThat(bodies(exclusive.awaitMessages(4))).containsExactly("entry 0", "entry 1", "entry 2", "entry 3");
            other.assertNoMessage(QUIET);

            exclusive.disconnect();
            producer.send("/queue/ledger", "entry 4");
            assertThat(other.awaitMessage().body()).isEqualTo("entry 4");
        }
    }

    @Test
    void prefetchOfOneWaitsForTheAck() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/slow", "first");
            client.send("/queue/slow", "second");

            client.subscribe("/queue/slow", "1", "client", Map.of("activemq.prefetchSize", "1"));

            StompEvent first = client.awaitMessage();
            assertThat(first.body()).isEqualTo("first");
            client.assertNoMessage(QUIET);

            client.ack(first);
            assertThat(client.awaitMessage().body()).isEqualTo("second");
        }
    }

    @Test
    void messagesBeyondOneConsumersPrefetchGoToAnother() {
        try (StompPy busy = StompPy.connect(broker.stompPort(), "1.2");
             StompPy idle = StompPy.connect(broker.stompPort(), "1.2")) {
            busy.subscribe("/queue/jobs", "1", "client-individual", Map.of("activemq.prefetchSize", "1"));
            busy.send("/queue/jobs", "a");
            busy.awaitMessage();

            idle.subscribe("/queue/jobs", "1", "client-individual", Map.of("activemq.prefetchSize", "1"));
            busy.send("/queue/jobs", "b");

            assertThat(idle.awaitMessage().body()).isEqualTo("b");
            busy.assertNoMessage(QUIET);
        }
    }

    @Test
    void manyMessagesArriveInOrderThroughASmallPrefetch() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.subscribe("/queue/stream", "1", "client-individual", Map.of("activemq.prefetchSize", "5"));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                client.send("/queue/stream", "n" + i);
                expected.add("n" + i);
            }

            List<String> received = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                StompEvent message = client.awaitMessage();
                received.add(message.body());
                client.ack(message);
            }
            assertThat(received).isEqualTo(expected);
        }
    }

    private static List<String> bodies(List<StompEvent> messages) {
        return messages.stream().map(StompEvent::body).toList();
    }
}
