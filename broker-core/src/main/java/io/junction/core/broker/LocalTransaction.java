package io.junction.core.broker;

import io.junction.core.model.Message;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.Transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A connection's local transaction. Used from the connection's event loop only; the acks it
 * records take effect through tasks on each queue's executor, which run after the queue has seen
 * the provisional ack because both were submitted to the same serial executor in that order.
 */
final class LocalTransaction implements Transaction {

    private record Ack(QueueConsumer consumer, long deliveryId) {
    }

    private final Broker broker;
    private final ClientConnection connection;
    private final List<Message> sends = new ArrayList<>();
    private final List<Ack> acks = new ArrayList<>();
    private boolean ended;

    LocalTransaction(Broker broker, ClientConnection connection) {
        this.broker = broker;
        this.connection = connection;
    }

    @Override
    public void send(Message message) throws BrokerException {
        checkOpen();
        broker.validateSend(message);
        sends.add(message);
    }

    void addAck(QueueConsumer consumer, long deliveryId) {
        checkOpenUnchecked();
        acks.add(new Ack(consumer, deliveryId));
    }

    @Override
    public CompletionStage<Void> commit() {
        checkOpenUnchecked();
        ended = true;
        connection.transactionEnded(this);
        List<CompletableFuture<Void>> stored = new ArrayList<>(sends.size());
        for (Message message : sends) {
            stored.add(broker.route(message).toCompletableFuture());
        }
        for (Ack ack : acks) {
            Queue queue = ack.consumer().queue();
            queue.execute(() -> queue.acknowledge(ack.consumer(), ack.deliveryId()));
        }
        return CompletableFuture.allOf(stored.toArray(new CompletableFuture[0]));
    }

    @Override
    public void rollback() {
        if (ended) {
            return;
        }
        ended = true;
        connection.transactionEnded(this);
        sends.clear();
        for (Ack ack : acks) {
            Queue queue = ack.consumer().queue();
            queue.execute(() -> queue.rollbackAck(ack.consumer(), ack.deliveryId()));
        }
    }

    private void checkOpen() throws BrokerException {
        if (ended) {
            throw new BrokerException("transaction already ended");
        }
    }

    private void checkOpenUnchecked() {
        if (ended) {
            throw new IllegalStateException("transaction already ended");
        }
    }
}
