package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.core.config.CompositeConfig;
import io.junction.core.config.DestinationsConfig;
import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.Delivery;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where a send goes: virtual topics, composites, name rules, counters. */
class RoutingTest extends BrokerTestSupport {

    private BrokerConnection connection;

    @Override
    DestinationsConfig config() {
        return new DestinationsConfig(true, true, DestinationsConfig.DEFAULT_EXPIRY_SCAN_INTERVAL,
                List.of(),
                List.of(new CompositeConfig("fanout", DestinationType.QUEUE,
                                List.of(queue("fanout.audit"), topic("fanout.events"))),
                        new CompositeConfig("outer", DestinationType.QUEUE, List.of(queue("fanout"), queue("outer.log"))),
                        new CompositeConfig("loop.a", DestinationType.QUEUE, List.of(queue("loop.b"))),
                        new CompositeConfig("loop.b", DestinationType.QUEUE, List.of(queue("loop.a")))));
    }

    @BeforeEach
    void connectClient() throws Exception {
        connection = connect();
    }

    private CompletableFuture<Void> attempt(Destination destination) {
        return connection.send(text(destination, "x")).toCompletableFuture();
    }

    private void assertRefused(Destination destination, String reason) {
        assertThat(attempt(destination)).as(destination.toString())
                .failsWithin(RecordingConsumer.WAIT)
                .withThrowableThat().havingCause().isInstanceOf(BrokerException.class)
                .withMessageContaining(reason);
    }

    @Test
    void virtualTopicReachesEveryConsumerQueueAndTheTopicSubscribers() throws Exception {
        RecordingConsumer a1 = subscribe(connection, queue("Consumer.A.VirtualTopic.orders"));
        RecordingConsumer a2 = subscribe(connection, queue("Consumer.A.VirtualTopic.orders"));
        RecordingConsumer b = subscribe(connection, queue("Consumer.B.VirtualTopic.orders"));
        RecordingConsumer subscriber = subscribe(connection, topic("VirtualTopic.orders"));
        RecordingConsumer otherTopic = subscribe(connection, queue("Consumer.A.VirtualTopic.invoices"));

        send(connection, topic("VirtualTopic.orders"), "1", "2");

        b.awaitDeliveries(2);
        subscriber.awaitDeliveries(2);
        settle();
        assertThat(b.bodies()).containsExactly("1", "2");
        assertThat(subscriber.bodies()).containsExactly("1", "2");
        // Consumers of one virtual-topic queue compete for its copy.
        assertThat(a1.deliveries().size() + a2.deliveries().size()).isEqualTo(2);
        assertThat(otherTopic.deliveries()).isEmpty();
    }

    @Test
    void virtualTopicQueueKeepsMessagesBeforeItsConsumerAttaches() throws Exception {
        send(connection, queue("Consumer.A.VirtualTopic.orders"), "direct");
        send(connection, topic("VirtualTopic.orders"), "via topic");

        RecordingConsumer a = subscribe(connection, queue("Consumer.A.VirtualTopic.orders"));

        a.awaitDeliveries(2);
        assertThat(a.bodies()).containsExactly("direct", "via topic");
    }

    @Test
    void commaCompositeFansOutToMixedQueuesAndTopics() throws Exception {
        RecordingConsumer prices = subscribe(connection, topic("prices"));

        send(connection, queue("orders, queue://audit,topic://prices"), "fan");

        Delivery viaTopic = prices.awaitDelivery(0);
        settle();
        assertThat(viaTopic.message().bodyAsText()).isEqualTo("fan");
        assertThat(queueInfo("orders").depth()).isEqualTo(1);
        assertThat(queueInfo("audit").depth()).isEqualTo(1);
        assertThat(broker.topics()).contains("prices");
    }

    @Test
    void compositeNamingAQueueTwiceEnqueuesOnce() throws Exception {
        send(connection, queue("orders,orders"), "once");
        settle();

        assertThat(queueInfo("orders").depth()).isEqualTo(1);
    }

    @Test
    void compositeWithAnInvalidMemberSendsNothing() throws Exception {
        assertRefused(queue("orders,,audit"), "empty member");
        assertRefused(queue("orders,topic://prices.*"), "wildcards");
        settle();

        assertThat(broker.queue("orders") == null || queueInfo("orders").depth() == 0).isTrue();
    }

    @Test
    void configuredCompositeFansOut() throws Exception {
        RecordingConsumer events = subscribe(connection, topic("fanout.events"));

        send(connection, queue("fanout"), "declared");

        events.awaitDelivery(0);
        settle();
        assertThat(queueInfo("fanout.audit").depth()).isEqualTo(1);
        assertThat(broker.queue("fanout")).isNull();
    }

    @Test
    void configuredCompositesNest() throws Exception {
        send(connection, queue("outer"), "nested");
        settle();

        assertThat(queueInfo("fanout.audit").depth()).isEqualTo(1);
        assertThat(queueInfo("outer.log").depth()).isEqualTo(1);
    }

    @Test
    void configuredCompositeCycleIsBoundedWithAnError() throws Exception {
        assertRefused(queue("loop.a"), "cycle");
        settle();

        assertThat(broker.queue("loop.a")).isNull();
        assertThat(broker.queue("loop.b")).isNull();
    }

    @Test
    void sendsToWildcardsAreRefused() {
        for (Destination destination : List.of(topic("prices.*"), topic("prices.>"), topic(">"), queue("orders.*"))) {
            assertRefused(destination, "wildcards");
        }
    }

    @Test
    void invalidNamesAreRefused() {
        for (String name : List.of("", ".orders", "orders.", "orders..eu")) {
            assertRefused(queue(name), "invalid destination name");
        }
        // Topics may have empty words (MQTT's "/a" and "a//b"), but not an empty name.
        assertRefused(topic(""), "invalid destination name");
    }

    @Test
    void subscribingToAnInvalidOrWildcardQueueIsRefused() {
        assertThatThrownBy(() -> subscribe(connection, queue("orders.>")))
                .isInstanceOf(BrokerException.class).hasMessageContaining("wildcards");
        assertThatThrownBy(() -> subscribe(connection, queue("orders..eu")))
                .isInstanceOf(BrokerException.class).hasMessageContaining("invalid destination name");
    }

    @Test
    void queueCountersFollowTheMessages() throws Exception {
        send(connection, queue("orders"), "a", "b", "c");
        RecordingConsumer consumer = subscribe(connection, queue("orders"));

        consumer.ack(consumer.awaitDelivery(0));
        settle();

        Broker.QueueInfo info = queueInfo("orders");
        assertThat(info.depth()).isEqualTo(2);
        assertThat(info.enqueued()).isEqualTo(3);
        assertThat(info.dequeued()).isEqualTo(1);
        assertThat(info.consumers()).isEqualTo(1);

        consumer.close();
        settle();
        assertThat(queueInfo("orders").consumers()).isZero();
        assertThat(queueInfo("orders").depth()).isEqualTo(2);
    }
}
