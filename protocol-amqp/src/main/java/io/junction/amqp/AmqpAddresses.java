package io.junction.amqp;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import org.apache.qpid.proton.amqp.Symbol;

/**
 * AMQP addresses and the broker's destinations (design section 2): {@code queue://a} and
 * {@code topic://a} say the kind, as do Qpid JMS's terminus capabilities {@code queue},
 * {@code topic}, {@code temporary-queue} and {@code temporary-topic}; a bare address is a queue.
 */
final class AmqpAddresses {

    static final Symbol QUEUE = Symbol.valueOf("queue");
    static final Symbol TOPIC = Symbol.valueOf("topic");
    static final Symbol TEMPORARY_QUEUE = Symbol.valueOf("temporary-queue");
    static final Symbol TEMPORARY_TOPIC = Symbol.valueOf("temporary-topic");

    private AmqpAddresses() {
    }

    static Destination toCore(String address, Symbol[] capabilities) {
        if (address.startsWith("queue://")) {
            return Destination.queue(address.substring("queue://".length()));
        }
        if (address.startsWith("topic://")) {
            return Destination.topic(address.substring("topic://".length()));
        }
        if (capabilities != null) {
            for (Symbol capability : capabilities) {
                if (TOPIC.equals(capability)) {
                    return Destination.topic(address);
                }
                if (TEMPORARY_QUEUE.equals(capability)) {
                    return new Destination(DestinationType.TEMP_QUEUE, address);
                }
                if (TEMPORARY_TOPIC.equals(capability)) {
                    return new Destination(DestinationType.TEMP_TOPIC, address);
                }
            }
        }
        return Destination.queue(address);
    }

    /** The address a destination has for AMQP clients: its name, plain. */
    static String address(Destination destination) {
        return destination.name();
    }

    /** The capability that tells a Qpid JMS client the kind of a destination. */
    static Symbol capability(Destination destination) {
        return switch (destination.type()) {
            case QUEUE -> QUEUE;
            case TOPIC -> TOPIC;
            case TEMP_QUEUE -> TEMPORARY_QUEUE;
            case TEMP_TOPIC -> TEMPORARY_TOPIC;
        };
    }
}
