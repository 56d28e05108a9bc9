package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.core.model.Destination;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.SubscriptionSpec;
import io.junction.core.spi.Transaction;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Local transactions: sends and acks take effect together on commit, or not at all. */
class TransactionTest extends BrokerTestSupport {

    private static final Destination ORDERS = queue("orders");

    private BrokerConnection connection;

    @BeforeEach
    void connectClient() throws Exception {
        connection = connect();
    }

    @Test
    void sendsAreInvisibleUntilCommit() throws Exception {
        RecordingConsumer consumer = subscribe(connection, ORDERS);
        Transaction transaction = connection.beginTransaction();

        transaction.send(text(ORDERS, "a"));
        transaction.send(text(topic("prices"), "ignored by nobody"));
        transaction.send(text(ORDERS, "b"));
        settle();
        assertThat(consumer.deliveries()).isEmpty();
        assertThat(queueInfo("orders").depth()).isZero();

        transaction.commit().toCompletableFuture().join();

        consumer.awaitDeliveries(2);
        assertThat(consumer.bodies()).containsExactly("a", "b");
    }

    @Test
    void rollbackDiscardsSends() throws Exception {
        RecordingConsumer consumer = subscribe(connection, ORDERS);
        Transaction transaction = connection.beginTransaction();
        transaction.send(text(ORDERS, "a"));

        transaction.rollback();
        settle();

        assertThat(consumer.deliveries()).isEmpty();
        assertThat(queueInfo("orders").enqueued()).isZero();
    }

    @Test
    void sendToAnInvalidDestinationFailsAtOnce() {
        Transaction transaction = connection.beginTransaction();

        assertThatThrownBy(() -> transaction.send(text(queue("orders.*"), "a")))
                .isInstanceOf(BrokerException.class).hasMessageContaining("wildcards");
    }

    @Test
    void anEndedTransactionRefusesMoreSends() throws Exception {
        Transaction transaction = connection.beginTransaction();
        transaction.commit().toCompletableFuture().join();

        assertThatThrownBy(() -> transaction.send(text(ORDERS, "a")))
                .isInstanceOf(BrokerException.class).hasMessageContaining("already ended");
    }

    @Test
    void transactionalAckFreesThePrefetchSlotButKeepsTheMessage() throws Exception {
        send(connection, ORDERS, "a", "b");
        RecordingConsumer consumer = subscribe(connection, new SubscriptionSpec(ORDERS, null, 1, false, null));
        Transaction transaction = connection.beginTransaction();

        consumer.consumer().ack(consumer.awaitDelivery(0).id(), transaction);

        assertThat(consumer.awaitDelivery(1).message().bodyAsText()).isEqualTo("b");
        settle();
        assertThat(queueInfo("orders").depth()).isEqualTo(2);
        assertThat(queueInfo("orders").dequeued()).isZero();
    }

    @Test
    void commitRemovesTransactionallyAckedMessages() throws Exception {
        send(connection, ORDERS, "a", "b");
        RecordingConsumer consumer = subscribe(connection, ORDERS);
        List<Delivery> delivered = consumer.awaitDeliveries(2);
        Transaction transaction = connection.beginTransaction();
        consumer.consumer().ack(delivered.get(0).id(), transaction);

        transaction.commit().toCompletableFuture().join();
        consumer.close();
        settle();

        assertThat(queueInfo("orders").dequeued()).isEqualTo(1);
        RecordingConsumer next = subscribe(connection, ORDERS);
        next.awaitDeliveries(1);
        settle();
        assertThat(next.bodies()).containsExactly("b");
    }

    @Test
    void rollbackRedeliversAckedMessagesInOrder() throws Exception {
        send(connection, ORDERS, "a", "b", "c", "d");
        RecordingConsumer consumer = subscribe(connection, new SubscriptionSpec(ORDERS, null, 2, false, null));
        List<Delivery> delivered = consumer.awaitDeliveries(2);
        Transaction transaction = connection.beginTransaction();
        consumer.consumer().ack(delivered.get(0).id(), transaction);
        consumer.consumer().ack(delivered.get(1).id(), transaction);
        // The freed slots take "c" and "d" while the transaction is open.
        List<Delivery> later = consumer.awaitDeliveries(4).subList(2, 4);

        transaction.rollback();
        later.forEach(consumer::ack);

        List<Delivery> all = consumer.awaitDeliveries(6);
        assertThat(consumer.bodies()).containsExactly("a", "b", "c", "d", "a", "b");
        assertThat(all.subList(4, 6)).extracting(Delivery::deliveryCount).containsExactly(1, 1);
    }

    @Test
    void closingTheConnectionRollsBackItsOpenTransaction() throws Exception {
        send(connection, ORDERS, "a", "b");
        BrokerConnection leaving = connect();
        RecordingConsumer consumer = subscribe(leaving, ORDERS);
        List<Delivery> delivered = consumer.awaitDeliveries(2);
        Transaction transaction = leaving.beginTransaction();
        consumer.consumer().ack(delivered.get(0).id(), transaction);
        transaction.send(text(ORDERS, "never sent"));

        leaving.close("client went away");

        RecordingConsumer next = subscribe(connection, ORDERS);
        List<Delivery> redelivered = next.awaitDeliveries(2);
        settle();
        assertThat(next.bodies()).containsExactly("a", "b");
        assertThat(redelivered).extracting(Delivery::deliveryCount).containsExactly(1, 1);
        assertThatThrownBy(() -> transaction.commit()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingTheConsumerKeepsTransactionallyAckedMessagesUntilTheTransactionEnds() throws Exception {
        send(connection, ORDERS, "a", "b");
        RecordingConsumer consumer = subscribe(connection, ORDERS);
        List<Delivery> delivered = consumer.awaitDeliveries(2);
        Transaction transaction = connection.beginTransaction();
        consumer.consumer().ack(delivered.get(0).id(), transaction);

        consumer.close();
        RecordingConsumer next = subscribe(connection, ORDERS);
        next.awaitDeliveries(1);
        transaction.commit().toCompletableFuture().join();
        settle();

        assertThat(next.bodies()).containsExactly("b");
        assertThat(queueInfo("orders").dequeued()).isEqualTo(1);
    }
}
