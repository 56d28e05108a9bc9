package io.junction.amqp;

import io.junction.core.model.Destination;
import io.junction.core.spi.Consumer;
import io.junction.core.spi.ConsumerCallback;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Modified;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Sender;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A link on which the client receives, bound to a broker subscription: deliveries wait here until
 * the client gives credit, go out as transfers, and the client's outcome acknowledges them
 * (accepted), gives them back (released, modified) or fails them (rejected). Deliveries arrive on
 * a queue's thread and hop to the connection's event loop.
 */
final class ConsumerLink implements ConsumerCallback {

    private final AmqpConnection connection;
    private final Sender sender;
    private final Destination destination;
    private final String durableName;
    private final ArrayDeque<io.junction.core.spi.Delivery> waiting = new ArrayDeque<>();
    private Consumer consumer;
    private long tags;
    /** Credit granted to the broker's consumer and not yet used by a delivery arriving here. */
    private int brokerCredit;
    private boolean closed;

    /** @param durableName the durable subscription the link consumes, or null */
    ConsumerLink(AmqpConnection connection, Sender sender, Destination destination, String durableName) {
        this.connection = connection;
        this.sender = sender;
        this.destination = destination;
        this.durableName = durableName;
    }

    void bind(Consumer consumer) {
        this.consumer = consumer;
    }

    String durableName() {
        return durableName;
    }

    @Override
    public void deliver(io.junction.core.spi.Delivery delivery) {
        connection.execute(() -> {
            if (closed) {
                return;
            }
            brokerCredit--;
            waiting.add(delivery);
            send();
            connection.flushOutput();
        });
    }

    @Override
    public void closedByBroker(String reason) {
        connection.execute(() -> {
            closed = true;
            sender.close();
            connection.flushOutput();
        });
    }

    /**
     * The client gave credit (or asked to drain): send what waits, and pass on to the broker as
     * much credit as the client gave beyond that, so that no message leaves its queue for this
     * link before the client can take it (other consumers of the queue may get it meanwhile).
     */
    void creditChanged() {
        send();
        int wanted = sender.getCredit() - waiting.size() - brokerCredit;
        if (wanted > 0 && !closed) {
            brokerCredit += wanted;
            consumer.addCredit(wanted);
        }
        if (sender.getDrain() && waiting.isEmpty()) {
            sender.drained();
        }
    }

    private void send() {
        while (!waiting.isEmpty() && sender.getCredit() > 0 && !closed) {
            io.junction.core.spi.Delivery delivery = waiting.poll();
            byte[] tag = Long.toString(++tags).getBytes(StandardCharsets.US_ASCII);
            Delivery transfer = sender.delivery(tag);
            transfer.setContext(delivery);
            org.apache.qpid.proton.message.Message amqp = AmqpMessages.toAmqp(delivery.message(),
                    delivery.destination(), delivery.deliveryCount(), System.currentTimeMillis());
            ByteBuffer encoded = AmqpCodec.encodeToBuffer(amqp, delivery.message().body().length);
            int length = encoded.position();
            for (int offset = 0; offset < length; ) {
                int sent = sender.send(encoded.array(), offset, length - offset);
                if (sent <= 0) {
                    throw new IllegalStateException("the AMQP engine took no more of a " + length
                            + "-byte message");
                }
                offset += sent;
            }
            if (AmqpConnection.presettled(sender)) {
                transfer.settle();
                consumer.ack(delivery.id());
            }
            sender.advance();
        }
    }

    /** The client's outcome for a transfer. */
    void outcome(Delivery transfer, DeliveryState state) {
        if (!(transfer.getContext() instanceof io.junction.core.spi.Delivery delivery) || closed) {
            transfer.settle();
            return;
        }
        io.junction.core.spi.Transaction transaction = connection.transactionOf(state);
        if (transaction != null) {
            // Acknowledged with the transaction: the message goes on commit, comes back on rollback.
            consumer.ack(delivery.id(), transaction);
        } else if (state instanceof Accepted || state == null) {
            consumer.ack(delivery.id());
        } else if (state instanceof Rejected rejected) {
            consumer.reject(delivery.id(), "rejected by the AMQP consumer"
                    + (rejected.getError() != null && rejected.getError().getDescription() != null
                    ? ": " + rejected.getError().getDescription() : ""));
        } else if (state instanceof Released || state instanceof Modified) {
            // Given back: redelivered, counted as an attempt (dead-lettered past maxRedeliveries).
            consumer.nack(delivery.id());
        }
        transfer.settle();
    }

    /** The link ends: unacknowledged deliveries go back to the queue with the consumer. */
    void close() {
        if (!closed) {
            closed = true;
            waiting.clear();
            consumer.close();
        }
    }
}
