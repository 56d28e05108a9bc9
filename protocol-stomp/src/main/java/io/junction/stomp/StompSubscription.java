package io.junction.stomp;

import io.junction.core.spi.Consumer;
import io.junction.core.spi.ConsumerCallback;
import io.junction.core.spi.Delivery;
import io.netty.channel.EventLoop;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * One SUBSCRIBE of a session. Deliveries arrive on a queue's thread and are handed to the
 * connection's event loop, where all of this subscription's state lives.
 */
final class StompSubscription implements ConsumerCallback {

    /** The SUBSCRIBE {@code ack} header values. */
    enum AckMode {
        AUTO("auto"),
        CLIENT("client"),
        CLIENT_INDIVIDUAL("client-individual");

        private final String header;

        AckMode(String header) {
            this.header = header;
        }

        static AckMode parse(String value) throws StompProtocolException {
            if (value == null) {
                return AUTO;
            }
            for (AckMode mode : values()) {
                if (mode.header.equals(value)) {
                    return mode;
                }
            }
            throw new StompProtocolException("unknown ack mode '" + value + "': use auto, client or client-individual");
        }
    }

    final String id;
    /** Session-unique number, part of 1.2 ack ids so an ACK finds its subscription. */
    final int number;
    final AckMode ackMode;
    final String durableName;
    private final StompSession session;
    private final EventLoop eventLoop;
    Consumer consumer;
    /** Unacknowledged deliveries in delivery order: ack key (ack id or message-id) to delivery id. */
    final Map<String, Long> unacked = new LinkedHashMap<>();

    StompSubscription(String id, int number, AckMode ackMode, String durableName, StompSession session,
                      EventLoop eventLoop) {
        this.id = id;
        this.number = number;
        this.ackMode = ackMode;
        this.durableName = durableName;
        this.session = session;
        this.eventLoop = eventLoop;
    }

    @Override
    public void deliver(Delivery delivery) {
        try {
            eventLoop.execute(() -> session.writeMessage(this, delivery));
        } catch (RejectedExecutionException e) {
            // The broker is stopping and this connection's event loop is gone; closing the
            // connection gives the message back to its queue.
        }
    }

    @Override
    public void closedByBroker(String reason) {
        eventLoop.execute(() -> session.subscriptionEnded(this, reason));
    }
}
