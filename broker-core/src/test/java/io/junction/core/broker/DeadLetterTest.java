package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.config.DestinationsConfig;
import io.junction.core.config.PolicyValues;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.Delivery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Messages that keep failing move to a dead-letter queue, per the destination's policy. */
class DeadLetterTest extends BrokerTestSupport {

    private BrokerConnection connection;

    @Override
    DestinationsConfig config() {
        PolicyValues d = PolicyValues.DEFAULTS;
        return withPolicies(
                policy("twice.>", maxRedeliveries(2)),
                policy("never.>", maxRedeliveries(0)),
                policy("forever.>", maxRedeliveries(PolicyValues.UNLIMITED)),
                policy("own.>", new PolicyValues(1, d.redeliveryDelay(), "DLQ", true, d.expiry(), d.expiryQueue(),
                        d.memoryLimit(), d.fullPolicy())));
    }

    @BeforeEach
    void connectClient() throws Exception {
        connection = connect();
    }

    /** Nacks every delivery of the one message on {@code consumer}, {@code times} times. */
    private static void nackRepeatedly(RecordingConsumer consumer, int times) {
        for (int i = 0; i < times; i++) {
            consumer.nack(consumer.awaitDelivery(i));
        }
    }

    @Test
    void movesToTheDlqAfterMaxRedeliveriesWithOriginAndCause() throws Exception {
        Destination orders = queue("twice.orders");
        send(connection, Message.builder(orders).property("region", "eu").textBody("a").build());
        RecordingConsumer consumer = subscribe(connection, orders);

        nackRepeatedly(consumer, 3);

        Delivery dead = subscribe(connection, queue("DLQ")).awaitDelivery(0);
        settle();
        assertThat(consumer.deliveries()).extracting(Delivery::deliveryCount).containsExactly(0, 1, 2);
        Message message = dead.message();
        assertThat(message.bodyAsText()).isEqualTo("a");
        assertThat(message.property("region")).isEqualTo("eu");
        assertThat(message.property(Broker.PROP_ORIGINAL_DESTINATION)).isEqualTo("queue://twice.orders");
        assertThat((String) message.property(Broker.PROP_FAILURE_CAUSE))
                .contains("max redeliveries (2)").contains("negatively acknowledged");
        assertThat(message.destination()).isEqualTo(queue("DLQ"));
        assertThat(dead.redelivered()).isFalse();
        assertThat(queueInfo("twice.orders").depth()).isZero();
    }

    @Test
    void aRejectedDeliveryGoesToTheDlqAtOnceWithItsReason() throws Exception {
        Destination orders = queue("orders");
        send(connection, orders, "bad");
        RecordingConsumer consumer = subscribe(connection, orders);
        Delivery delivery = consumer.awaitDelivery(0);

        consumer.consumer().reject(delivery.id(), "poison message");

        Delivery dead = subscribe(connection, queue("DLQ")).awaitDelivery(0);
        assertThat(dead.message().bodyAsText()).isEqualTo("bad");
        assertThat(dead.message().property(Broker.PROP_FAILURE_CAUSE)).isEqualTo("poison message");
        settle();
        assertThat(consumer.deliveries()).hasSize(1);
        assertThat(broker.queue("orders").depth()).isZero();
    }

    @Test
    void defaultPolicyAllowsSixRedeliveries() throws Exception {
        Destination orders = queue("orders");
        send(connection, orders, "a");
        RecordingConsumer consumer = subscribe(connection, orders);

        nackRepeatedly(consumer, 7);

        subscribe(connection, queue("DLQ")).awaitDelivery(0);
        assertThat(consumer.deliveries()).hasSize(7);
        assertThat(consumer.deliveries().get(6).deliveryCount()).isEqualTo(6);
    }

    @Test
    void zeroRedeliveriesDeadLettersOnTheFirstFailure() throws Exception {
        send(connection, queue("never.orders"), "a");
        RecordingConsumer consumer = subscribe(connection, queue("never.orders"));

        consumer.nack(consumer.awaitDelivery(0));

        subscribe(connection, queue("DLQ")).awaitDelivery(0);
        settle();
        assertThat(consumer.deliveries()).hasSize(1);
    }

    @Test
    void closingWithoutAckCountsAsAFailedDelivery() throws Exception {
        send(connection, queue("never.orders"), "a");
        RecordingConsumer consumer = subscribe(connection, queue("never.orders"));
        consumer.awaitDelivery(0);

        consumer.close();

        Delivery dead = subscribe(connection, queue("DLQ")).awaitDelivery(0);
        assertThat((String) dead.message().property(Broker.PROP_FAILURE_CAUSE))
                .contains("consumer closed without acknowledging");
    }

    @Test
    void perDestinationPolicyUsesItsOwnDeadLetterQueue() throws Exception {
        send(connection, queue("own.orders"), "a");
        RecordingConsumer consumer = subscribe(connection, queue("own.orders"));

        nackRepeatedly(consumer, 2);

        Delivery dead = subscribe(connection, queue("DLQ.own.orders")).awaitDelivery(0);
        assertThat(dead.message().property(Broker.PROP_ORIGINAL_DESTINATION)).isEqualTo("queue://own.orders");
        assertThat(broker.queue("DLQ")).isNull();
    }

    @Test
    void unlimitedRedeliveriesNeverDeadLetter() throws Exception {
        send(connection, queue("forever.orders"), "a");
        RecordingConsumer consumer = subscribe(connection, queue("forever.orders"));

        nackRepeatedly(consumer, 20);

        assertThat(consumer.awaitDelivery(20).deliveryCount()).isEqualTo(20);
        settle();
        assertThat(broker.queue("DLQ")).isNull();
        assertThat(queueInfo("forever.orders").depth()).isEqualTo(1);
    }

    @Test
    void wildcardSubscriptionDeadLettersNameTheTopicTheMessageWasPublishedTo() throws Exception {
        RecordingConsumer subscriber = subscribe(connection, topic("twice.*"));
        send(connection, topic("twice.prices"), "p");

        nackRepeatedly(subscriber, 3);

        Delivery dead = subscribe(connection, queue("DLQ")).awaitDelivery(0);
        assertThat(dead.message().property(Broker.PROP_ORIGINAL_DESTINATION)).isEqualTo("topic://twice.prices");
    }

    @Test
    void wildcardSubscriptionUsesThePublishedTopicsOwnDeadLetterQueue() throws Exception {
        RecordingConsumer subscriber = subscribe(connection, topic("own.>"));
        send(connection, topic("own.prices.eur"), "p");

        nackRepeatedly(subscriber, 2);

        Delivery dead = subscribe(connection, queue("DLQ.own.prices.eur")).awaitDelivery(0);
        assertThat(dead.message().property(Broker.PROP_ORIGINAL_DESTINATION)).isEqualTo("topic://own.prices.eur");
    }
}
