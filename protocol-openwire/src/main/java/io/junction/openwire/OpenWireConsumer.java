package io.junction.openwire;

import io.junction.core.spi.Consumer;
import io.junction.core.spi.ConsumerCallback;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.Transaction;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ConsumerControl;
import org.apache.activemq.command.ConsumerId;
import org.apache.activemq.command.ConsumerInfo;
import org.apache.activemq.command.MessageAck;
import org.apache.activemq.command.MessageDispatch;
import org.apache.activemq.command.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A client's consumer: one broker subscription per destination it names (several for a composite
 * {@code a,b}), its dispatched messages in dispatch order until acknowledged, and the pulls of a
 * prefetch-0 consumer. Confined to the connection's event loop, except the broker's callbacks,
 * which hand their work to it.
 */
final class OpenWireConsumer {

    private static final Logger log = LoggerFactory.getLogger(OpenWireConsumer.class);

    /** A dispatched message the client has not acknowledged yet. */
    private record Dispatched(MessageId messageId, Member member, long deliveryId) {
    }

    private final OpenWireConnection connection;
    private final ConsumerInfo info;
    private final ConsumerId id;
    private final ActiveMQDestination destination;
    private final List<Member> members = new ArrayList<>(1);
    private final ArrayDeque<Dispatched> unacknowledged = new ArrayDeque<>();
    /** Pulls waiting for a message, oldest first: each cancels its timeout when served. */
    private final ArrayDeque<Runnable> pulls = new ArrayDeque<>();
    private boolean closed;

    OpenWireConsumer(OpenWireConnection connection, ConsumerInfo info) {
        this.connection = connection;
        this.info = info;
        this.id = info.getConsumerId();
        this.destination = info.getDestination();
    }

    ConsumerId id() {
        return id;
    }

    /** What the client subscribed with. */
    ConsumerInfo info() {
        return info;
    }

    /** A broker subscription for one of the destinations the consumer names. */
    ConsumerCallback newMember() {
        Member member = new Member();
        members.add(member);
        return member;
    }

    void bind(ConsumerCallback member, Consumer consumer) {
        ((Member) member).consumer = consumer;
    }

    /**
     * The client asks for one message (prefetch 0): one credit to the broker; with a timeout, an
     * empty dispatch tells the client when none came in time.
     */
    void pull(long timeout) {
        for (Member member : members) {
            member.consumer.addCredit(1);
        }
        if (timeout > 0) {
            ScheduledFuture<?> expiry = connection.schedule(this::pullExpired, timeout);
            pulls.add(() -> expiry.cancel(false));
        } else {
            pulls.add(() -> { });
        }
    }

    private void pullExpired() {
        if (closed || pulls.isEmpty()) {
            return;
        }
        pulls.poll();
        MessageDispatch empty = new MessageDispatch();
        empty.setConsumerId(id);
        empty.setDestination(destination);
        connection.writeAndFlush(empty);
    }

    private void dispatch(Member member, Delivery delivery) {
        if (closed) {
            return;
        }
        try {
            Runnable servedPull = pulls.poll();
            if (servedPull != null) {
                servedPull.run();
            }
            MessageId messageId = connection.dispatchIdFor(delivery.message());
            ActiveMQMessage message = OpenWireMessages.toOpenWire(delivery.message(), delivery.destination(),
                    messageId);
            int redeliveries = delivery.deliveryCount() > 0 ? delivery.deliveryCount()
                    : delivery.redelivered() ? 1 : 0;
            message.setRedeliveryCounter(redeliveries);
            unacknowledged.add(new Dispatched(messageId, member, delivery.id()));
            MessageDispatch dispatch = new MessageDispatch();
            dispatch.setConsumerId(id);
            dispatch.setDestination(message.getDestination());
            dispatch.setMessage(message);
            dispatch.setRedeliveryCounter(redeliveries);
            connection.writeAndFlush(dispatch);
        } catch (Exception e) {
            log.warn("OpenWire: message {} could not be converted; it is given back",
                    delivery.message().messageId(), e);
            member.consumer.nack(delivery.id());
        }
    }

    /**
     * Standard acks take everything dispatched up to the message named, individual acks one
     * message (with the transaction when they name one); poison acks dead-letter with the
     * client's reason; delivered acks let more in past the prefetch; expired and unmatched acks
     * remove the message. Redelivered acks (the client redelivering on its own) change nothing.
     */
    void acknowledge(MessageAck ack, Transaction transaction) {
        switch (ack.getAckType()) {
            case MessageAck.STANDARD_ACK_TYPE -> {
                if (!isUnacknowledged(ack.getLastMessageId())) {
                    return;
                }
                while (!unacknowledged.isEmpty()) {
                    Dispatched d = unacknowledged.poll();
                    ack(d, transaction);
                    if (d.messageId().equals(ack.getLastMessageId())) {
                        break;
                    }
                }
            }
            case MessageAck.INDIVIDUAL_ACK_TYPE, MessageAck.EXPIRED_ACK_TYPE, MessageAck.UNMATCHED_ACK_TYPE -> {
                Dispatched d = take(ack.getLastMessageId());
                if (d != null) {
                    ack(d, transaction);
                }
            }
            case MessageAck.POISON_ACK_TYPE -> {
                Dispatched d = take(ack.getLastMessageId());
                if (d != null) {
                    d.member().consumer.reject(d.deliveryId(), ack.getPoisonCause() != null
                            ? ack.getPoisonCause().getMessage() : "poison acknowledgement");
                }
            }
            case MessageAck.DELIVERED_ACK_TYPE -> {
                for (Member member : members) {
                    member.consumer.handedToApplication(ack.getMessageCount());
                }
            }
            default -> {
            }
        }
    }

    private boolean isUnacknowledged(MessageId messageId) {
        for (Dispatched d : unacknowledged) {
            if (d.messageId().equals(messageId)) {
                return true;
            }
        }
        return false;
    }

    private Dispatched take(MessageId messageId) {
        for (Iterator<Dispatched> it = unacknowledged.iterator(); it.hasNext(); ) {
            Dispatched d = it.next();
            if (d.messageId().equals(messageId)) {
                it.remove();
                return d;
            }
        }
        return null;
    }

    private static void ack(Dispatched d, Transaction transaction) {
        if (transaction != null) {
            d.member().consumer.ack(d.deliveryId(), transaction);
        } else {
            d.member().consumer.ack(d.deliveryId());
        }
    }

    /**
     * Closes the broker subscriptions. Messages dispatched after the last one the client says its
     * application received ({@code lastDeliveredSequenceId}, our broker sequence ids) were only
     * prefetched: they go back uncounted; the others count as a delivery attempt.
     *
     * @param lastDelivered the client's last delivered broker sequence id, or null when unknown
     */
    void close(Long lastDelivered) {
        if (closed) {
            return;
        }
        closed = true;
        for (Member member : members) {
            long[] neverSeen = unacknowledged.stream()
                    .filter(d -> d.member() == member && lastDelivered != null
                            && d.messageId().getBrokerSequenceId() > lastDelivered)
                    .mapToLong(Dispatched::deliveryId)
                    .toArray();
            if (member.consumer != null) {
                member.consumer.close(neverSeen);
            }
        }
        unacknowledged.clear();
        pulls.clear();
    }

    /** One broker subscription of the consumer; the broker calls it from its own threads. */
    private final class Member implements ConsumerCallback {

        private Consumer consumer;

        @Override
        public void deliver(Delivery delivery) {
            connection.execute(() -> dispatch(this, delivery));
        }

        @Override
        public void closedByBroker(String reason) {
            connection.execute(() -> {
                log.info("OpenWire consumer {} closed by the broker: {}", id, reason);
                close(null);
                // The client closes its consumer too, as for ActiveMQ's abort of a slow consumer.
                ConsumerControl control = new ConsumerControl();
                control.setConsumerId(id);
                control.setDestination(destination);
                control.setClose(true);
                connection.writeAndFlush(control);
            });
        }
    }
}
