package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ActiveMQ's scheduling headers from stomp.py: STOMP headers arrive as text, which the broker reads
 * as numbers. Timing is checked one way only: nothing before the delay (less a margin), then the
 * message within the client's wait.
 */
class ScheduledDeliveryTest {

    /** How much earlier than its delay a delivery may be seen (timer ticks, clock reads). */
    private static final long MARGIN_MILLIS = 100;

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    @Test
    void delayedMessageIsNotReceivedBeforeItsDelay() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.subscribe("/queue/later", "1");
            long sent = System.nanoTime();
            client.send("/queue/later", "in a second", Map.of("AMQ_SCHEDULED_DELAY", "1000", "persistent", "true"));

            client.assertNoMessage(Duration.ofMillis(Math.max(0, 1000 - MARGIN_MILLIS - millisSince(sent))));
            StompEvent message = client.awaitMessage();

            assertThat(millisSince(sent)).isGreaterThanOrEqualTo(1000 - MARGIN_MILLIS);
            assertThat(message.body()).isEqualTo("in a second");
            assertThat(message.headers()).doesNotContainKey("AMQ_SCHEDULED_DELAY").containsKey("scheduledJobId");
        }
    }

    @Test
    void repeatedMessageArrivesRepeatPlusOneTimes() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.subscribe("/queue/ticks", "1");
            client.send("/queue/ticks", "tick", Map.of("AMQ_SCHEDULED_DELAY", "300", "AMQ_SCHEDULED_PERIOD", "300",
                    "AMQ_SCHEDULED_REPEAT", "2"));

            List<StompEvent> ticks = client.awaitMessages(3);

            assertThat(ticks).extracting(StompEvent::body).containsExactly("tick", "tick", "tick");
            assertThat(ticks).extracting(m -> m.header("message-id")).doesNotHaveDuplicates();
            client.assertNoMessage(Duration.ofMillis(600));
        }
    }

    @Test
    void invalidDelayIsAnError() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.request(StompPy.command("send", "destination", "/queue/later", "body", "x",
                    "headers", Map.of("AMQ_SCHEDULED_DELAY", "soon")));

            assertThat(client.awaitEvent("error").header("message")).contains("invalid AMQ_SCHEDULED_DELAY 'soon'");
        }
    }
}
