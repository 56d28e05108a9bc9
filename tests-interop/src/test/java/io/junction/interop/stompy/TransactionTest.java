package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** BEGIN / COMMIT / ABORT around sends and acknowledgements. */
class TransactionTest {

    private static final Duration QUIET = Duration.ofMillis(400);

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void sendsAreDeliveredOnlyWhenCommitted() {
        try (StompPy consumer = StompPy.connect(broker.stompPort(), "1.2");
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            consumer.subscribe("/queue/tx", "1");

            producer.begin("t1");
            producer.sendInTransaction("t1", "/queue/tx", "one");
            producer.sendInTransaction("t1", "/queue/tx", "two");
            consumer.assertNoMessage(QUIET);

            producer.commit("t1");
            assertThat(consumer.awaitMessages(2)).extracting(StompEvent::body).containsExactly("one", "two");
        }
    }

    @Test
    void abortDiscardsTheSends() {
        try (StompPy consumer = StompPy.connect(broker.stompPort(), "1.2");
             StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
            consumer.subscribe("/queue/tx", "1");

            producer.begin("t1");
            producer.sendInTransaction("t1", "/queue/tx", "discarded");
            producer.abort("t1");
            producer.send("/queue/tx", "after abort");

            assertThat(consumer.awaitMessage().body()).isEqualTo("after abort");
            consumer.assertNoMessage(QUIET);
        }
    }

    @Test
    void disconnectingAbortsAnOpenTransaction() {
        try (StompPy consumer = StompPy.connect(broker.stompPort(), "1.2")) {
            consumer.subscribe("/queue/tx", "1");
            try (StompPy producer = StompPy.connect(broker.stompPort(), "1.2")) {
                producer.begin("t1");
                producer.sendInTransaction("t1", "/queue/tx", "never committed");
                producer.disconnect();
            }
            consumer.assertNoMessage(QUIET);
        }
    }

    @Test
    void abortedAckIsRedelivered() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/tx", "work");
            client.subscribe("/queue/tx", "1", "client-individual");

            client.begin("t1");
            client.ack(client.awaitMessage(), "t1");
            client.abort("t1");

            StompEvent again = client.awaitMessage();
            assertThat(again.body()).isEqualTo("work");
            assertThat(again.header("redelivered")).isEqualTo("true");
        }
    }

    @Test
    void committedAckRemovesTheMessage() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/tx", "work");
            client.subscribe("/queue/tx", "1", "client-individual");

            client.begin("t1");
            client.ack(client.awaitMessage(), "t1");
            client.commit("t1");

            await().untilAsserted(() -> assertThat(broker.broker().queue("tx").depth()).isZero());
            client.disconnect();
        }
        try (StompPy again = StompPy.connect(broker.stompPort(), "1.2")) {
            again.subscribe("/queue/tx", "1", "client-individual");
            again.assertNoMessage(QUIET);
        }
    }
}
