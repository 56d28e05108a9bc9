package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.config.DestinationsConfig;
import io.junction.core.config.PolicyValues;
import io.junction.core.model.Destination;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.SubscriptionSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ack, nack, redelivery counting and what happens to unacknowledged messages. */
class AcknowledgementTest extends BrokerTestSupport {

    private static final Destination ORDERS = queue("orders");
    private static final Destination SLOW = queue("slow.orders");
    private static final Duration REDELIVERY_DELAY = Duration.ofMillis(300);

    private BrokerConnection connection;

    @Override
    DestinationsConfig config() {
        PolicyValues d = PolicyValues.DEFAULTS;
        return withPolicies(policy("slow.>", new PolicyValues(d.maxRedeliveries(), REDELIVERY_DELAY,
                d.deadLetterQueue(), d.deadLetterPerDestination(), d.expiry(), d.expiryQueue(), d.memoryLimit(),
                d.fullPolicy())));
    }

    @BeforeEach
    void connectClient() throws Exception {
        connection = connect();
    }

    @Test
    void ackRemovesTheMessage() throws Exception {
        send(connection, ORDERS, "a");
        RecordingConsumer consumer = subscribe(connection, ORDERS);

        consumer.ack(consumer.awaitDelivery(0));
        consumer.close();
        settle();

        assertThat(queueInfo("orders").depth()).isZero();
        assertThat(queueInfo("orders").dequeued()).isEqualTo(1);
        RecordingConsumer next = subscribe(connection, ORDERS);
        settle();
        assertThat(next.deliveries()).isEmpty();
    }

    @Test
    void firstDeliveryIsNotMarkedRedelivered() throws Exception {
        send(connection, ORDERS, "a");

        Delivery first = subscribe(connection, ORDERS).awaitDelivery(0);

        assertThat(first.deliveryCount()).isZero();
        assertThat(first.redelivered()).isFalse();
    }

    @Test
    void nackRedeliversWithACountAndTheRedeliveredFlag() throws Exception {
        send(connection, ORDERS, "a");
        RecordingConsumer consumer = subscribe(connection, ORDERS);

        consumer.nack(consumer.awaitDelivery(0));
        Delivery second = consumer.awaitDelivery(1);
        consumer.nack(second);
        Delivery third = consumer.awaitDelivery(2);

        assertThat(second.message().bodyAsText()).isEqualTo("a");
        assertThat(second.deliveryCount()).isEqualTo(1);
        assertThat(second.redelivered()).isTrue();
        assertThat(third.deliveryCount()).isEqualTo(2);
        assertThat(second.id()).isNotEqualTo(third.id());
    }

    @Test
    void nackedMessageGoesBackInFrontOfNewerOnes() throws Exception {
        send(connection, ORDERS, "a", "b", "c");
        RecordingConsumer consumer = subscribe(connection, new SubscriptionSpec(ORDERS, null, 1, false, null));

        consumer.nack(consumer.awaitDelivery(0));

        assertThat(consumer.awaitDelivery(1).message().bodyAsText()).isEqualTo("a");
    }

    @Test
    void closingAConsumerReturnsUnackedMessagesInOrderMarkedRedelivered() throws Exception {
        send(connection, ORDERS, "a", "b", "c", "d", "e");
        RecordingConsumer first = subscribe(connection, new SubscriptionSpec(ORDERS, null, 3, false, null));
        List<Delivery> held = first.awaitDeliveries(3);
        first.ack(held.get(1));
        // The ack frees a prefetch slot, so "d" follows before the close.
        first.awaitDeliveries(4);

        first.close();
        RecordingConsumer second = subscribe(connection, ORDERS);

        List<Delivery> redelivered = second.awaitDeliveries(4);
        assertThat(second.bodies()).containsExactly("a", "c", "d", "e");
        assertThat(redelivered).extracting(Delivery::redelivered).containsExactly(true, true, true, false);
        assertThat(redelivered).extracting(Delivery::deliveryCount).containsExactly(1, 1, 1, 0);
    }

    @Test
    void closingTheConnectionReturnsUnackedMessagesInOrder() throws Exception {
        send(connection, ORDERS, "a", "b", "c");
        BrokerConnection leaving = connect();
        RecordingConsumer first = subscribe(leaving, ORDERS);
        first.awaitDeliveries(3);

        leaving.close("client went away");
        RecordingConsumer second = subscribe(connection, ORDERS);

        second.awaitDeliveries(3);
        assertThat(second.bodies()).containsExactly("a", "b", "c");
        assertThat(second.deliveries()).allMatch(Delivery::redelivered);
    }

    @Test
    void returnedMessagesKeepTheirPlaceAmongOthersOfTheirPriority() throws Exception {
        send(connection, ORDERS, "a", "b", "c", "d");
        RecordingConsumer first = subscribe(connection, ORDERS);
        List<Delivery> held = first.awaitDeliveries(4);
        // Given back one by one, latest first.
        first.nack(held.get(3));
        first.nack(held.get(1));
        first.close();

        RecordingConsumer second = subscribe(connection, ORDERS);

        second.awaitDeliveries(4);
        assertThat(second.bodies()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void ackingAnUnknownOrAlreadyAckedDeliveryChangesNothing() throws Exception {
        send(connection, ORDERS, "a", "b");
        RecordingConsumer consumer = subscribe(connection, ORDERS);
        Delivery a = consumer.awaitDelivery(0);

        consumer.ack(a);
        consumer.ack(a);
        consumer.consumer().ack(12_345);
        consumer.consumer().nack(12_345);
        settle();

        assertThat(queueInfo("orders").depth()).isEqualTo(1);
        assertThat(queueInfo("orders").dequeued()).isEqualTo(1);
    }

    @Test
    void redeliveryWaitsForTheDestinationsDelay() throws Exception {
        send(connection, SLOW, "a");
        RecordingConsumer consumer = subscribe(connection, SLOW);
        Delivery first = consumer.awaitDelivery(0);

        long nackedAt = System.nanoTime();
        consumer.nack(first);

        Delivery again = consumer.awaitDelivery(1);
        assertThat(again.redelivered()).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(consumer.arrivalNanos(1) - nackedAt))
                .isGreaterThanOrEqualTo(REDELIVERY_DELAY.toMillis());
    }

    @Test
    void aMessageWaitingForRedeliveryStillCountsInTheDepth() throws Exception {
        send(connection, SLOW, "a");
        RecordingConsumer consumer = subscribe(connection, SLOW);

        consumer.nack(consumer.awaitDelivery(0));
        settle();

        assertThat(queueInfo("slow.orders").depth()).isEqualTo(1);
        consumer.ack(consumer.awaitDelivery(1));
        settle();
        assertThat(queueInfo("slow.orders").depth()).isZero();
    }
}
