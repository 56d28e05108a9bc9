package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.junction.core.config.DestinationsConfig;
import io.junction.core.config.ExpiryAction;
import io.junction.core.config.PolicyValues;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.SubscriptionSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Messages past their expiration are dropped or moved to the expiry queue, per policy. */
class ExpiryTest {

    private static final long TTL_MILLIS = 250;

    private static DestinationsConfig config(Duration scanInterval) {
        PolicyValues d = PolicyValues.DEFAULTS;
        PolicyValues keepExpired = new PolicyValues(d.maxRedeliveries(), d.redeliveryDelay(), d.deadLetterQueue(),
                d.deadLetterPerDestination(), ExpiryAction.EXPIRY_QUEUE, "ExpiryQueue", d.memoryLimit(),
                d.fullPolicy());
        return new DestinationsConfig(true, true, scanInterval,
                List.of(BrokerTestSupport.policy("audit.>", keepExpired)), List.of());
    }

    private static Message expiring(Destination destination, String body) {
        return Message.builder(destination).expiration(System.currentTimeMillis() + TTL_MILLIS).textBody(body).build();
    }

    private static void awaitExpiry(Message message) {
        await().atMost(RecordingConsumer.WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> message.isExpired(System.currentTimeMillis()));
    }

    /** The sweep runs too rarely to matter here, so only dispatch can find the expired messages. */
    @Nested
    class OnDispatch extends BrokerTestSupport {

        private BrokerConnection connection;

        @Override
        DestinationsConfig config() {
            return ExpiryTest.config(Duration.ofHours(1));
        }

        @BeforeEach
        void connectClient() throws Exception {
            connection = connect();
        }

        @Test
        void expiredMessageIsSkippedAndDropped() throws Exception {
            Destination orders = queue("orders");
            Message stale = expiring(orders, "stale");
            send(connection, stale);
            send(connection, orders, "fresh");
            awaitExpiry(stale);

            RecordingConsumer consumer = subscribe(connection, orders);

            consumer.awaitDeliveries(1);
            settle();
            assertThat(consumer.bodies()).containsExactly("fresh");
            assertThat(queueInfo("orders").depth()).isEqualTo(1);
            assertThat(queueInfo("orders").dequeued()).isEqualTo(1);
            assertThat(broker.queue("ExpiryQueue")).isNull();
        }

        @Test
        void messageExpiringBehindAFullPrefetchIsSkippedWhenASlotFrees() throws Exception {
            Destination orders = queue("orders");
            RecordingConsumer consumer = subscribe(connection, new SubscriptionSpec(orders, null, 1, false, null));
            send(connection, orders, "first");
            Message stale = expiring(orders, "stale");
            send(connection, stale);
            send(connection, orders, "last");
            Delivery first = consumer.awaitDelivery(0);
            awaitExpiry(stale);

            consumer.ack(first);

            consumer.awaitDeliveries(2);
            settle();
            assertThat(consumer.bodies()).containsExactly("first", "last");
        }

        @Test
        void expiredMessageMovesToTheExpiryQueueWhenThePolicySaysSo() throws Exception {
            Message stale = expiring(queue("audit.events"), "stale");
            send(connection, stale);
            awaitExpiry(stale);

            RecordingConsumer consumer = subscribe(connection, queue("audit.events"));
            Delivery moved = subscribe(connection, queue("ExpiryQueue")).awaitDelivery(0);

            settle();
            assertThat(consumer.deliveries()).isEmpty();
            assertThat(moved.message().bodyAsText()).isEqualTo("stale");
            assertThat(moved.message().property(Broker.PROP_ORIGINAL_DESTINATION)).isEqualTo("queue://audit.events");
            assertThat(moved.message().property(Broker.PROP_FAILURE_CAUSE)).isEqualTo("expired");
            assertThat(moved.message().expiration()).isZero();
        }

        @Test
        void messageAlreadyExpiredWhenSentIsNotRouted() throws Exception {
            send(connection, Message.builder(queue("orders")).expiration(System.currentTimeMillis() - 1)
                    .textBody("late").build());
            RecordingConsumer consumer = subscribe(connection, queue("orders"));
            settle();

            assertThat(consumer.deliveries()).isEmpty();
            assertThat(queueInfo("orders").enqueued()).isZero();
            assertThat(broker.queue("ExpiryQueue")).isNull();
        }
    }

    /** Nobody consumes; the periodic sweep finds the expired messages. */
    @Nested
    class BySweep extends BrokerTestSupport {

        private BrokerConnection connection;

        @Override
        DestinationsConfig config() {
            return ExpiryTest.config(DestinationsConfig.MIN_EXPIRY_SCAN_INTERVAL);
        }

        @BeforeEach
        void connectClient() throws Exception {
            connection = connect();
        }

        @Test
        void dropsExpiredMessages() throws Exception {
            send(connection, expiring(queue("orders"), "stale"));
            send(connection, queue("orders"), "fresh");

            await().atMost(RecordingConsumer.WAIT).until(() -> queueInfo("orders").dequeued() == 1);

            assertThat(queueInfo("orders").depth()).isEqualTo(1);
            assertThat(subscribe(connection, queue("orders")).awaitDelivery(0).message().bodyAsText())
                    .isEqualTo("fresh");
            assertThat(broker.queue("ExpiryQueue")).isNull();
        }

        @Test
        void movesExpiredMessagesToTheExpiryQueue() throws Exception {
            send(connection, expiring(queue("audit.events"), "stale"));

            await().atMost(RecordingConsumer.WAIT).until(() -> broker.queue("ExpiryQueue") != null
                    && queueInfo("ExpiryQueue").depth() == 1);

            assertThat(queueInfo("audit.events").depth()).isZero();
            Delivery moved = subscribe(connection, queue("ExpiryQueue")).awaitDelivery(0);
            assertThat(moved.message().bodyAsText()).isEqualTo("stale");
            assertThat(moved.message().property(Broker.PROP_ORIGINAL_DESTINATION)).isEqualTo("queue://audit.events");
        }

        @Test
        void sweepsTopicSubscriptionQueuesToo() throws Exception {
            RecordingConsumer subscriber = subscribe(connection,
                    new SubscriptionSpec(topic("prices"), null, 1, false, null));
            send(connection, topic("prices"), "held");
            send(connection, expiring(topic("prices"), "stale"));
            subscriber.awaitDelivery(0);

            await().atMost(RecordingConsumer.WAIT).until(() -> broker.queues().stream()
                    .filter(q -> q.name().startsWith("subscription."))
                    .anyMatch(q -> q.dequeued() == 1));
            subscriber.ack(subscriber.deliveries().get(0));
            settle();

            assertThat(subscriber.bodies()).containsExactly("held");
        }
    }
}
