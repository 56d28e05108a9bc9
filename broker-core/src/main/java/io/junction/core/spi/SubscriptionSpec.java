package io.junction.core.spi;

import io.junction.core.model.Destination;

import java.util.Objects;

/**
 * What a consumer asks for.
 *
 * @param destination     a queue, a topic, or a topic pattern with wildcards
 * @param selector        a JMS selector, or null for all messages
 * @param prefetch        how many deliveries may be unacknowledged at once (at least 1)
 * @param exclusive       on a queue: this consumer gets every message while it is subscribed
 * @param durableName     on a topic: the durable subscription name (with the connection's client
 *                        id), or null for a subscription that ends with the consumer
 * @param noLocal         on a topic: messages sent by a connection with this connection's client id
 *                        (or by this connection, when it has none) are not delivered
 * @param shareGroup      on a topic: the consumer joins the group's shared subscription to the
 *                        pattern, and each message goes to one member of the group; null for none.
 *                        A shared subscription lives while it has members; with a durable name
 *                        too, it is a shared durable subscription (JMS 2.0), kept like a durable
 *                        one under the key {@code shared:<group>} and open to many consumers.
 * @param maxQueued       most messages the subscriptions of this client id with a bound keep
 *                        together (0 = no limit), as an MQTT session's; a shared subscription's
 *                        bound is its own. While full, what arrives is dropped, as MQTT brokers do
 * @param persistentOnlyWhileInactive for a durable subscription: while no consumer is attached
 *                        it keeps persistent messages only (MQTT's QoS 0 is not queued)
 * @param creditBased     the consumer receives only as many messages as it grants with
 *                        {@link Consumer#addCredit(int)} (AMQP link credit), besides the prefetch
 *                        bound; none until it grants some
 * @param priority        on a queue: consumers of a higher priority get messages first, those of a
 *                        lower one only while the higher ones have no room (ActiveMQ's consumer
 *                        priority); 0 by default
 */
public record SubscriptionSpec(Destination destination, String selector, int prefetch, boolean exclusive,
                               String durableName, boolean noLocal, String shareGroup, int maxQueued,
                               boolean persistentOnlyWhileInactive, boolean creditBased,
                               int priority) {

    public SubscriptionSpec {
        Objects.requireNonNull(destination, "destination");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must not be negative, was " + maxQueued);
        }
    }

    public SubscriptionSpec(Destination destination, String selector, int prefetch, boolean exclusive,
                            String durableName) {
        this(destination, selector, prefetch, exclusive, durableName, false, null, 0, false, false);
    }

    public SubscriptionSpec(Destination destination, String selector, int prefetch, boolean exclusive,
                            String durableName, boolean noLocal, String shareGroup, int maxQueued,
                            boolean persistentOnlyWhileInactive) {
        this(destination, selector, prefetch, exclusive, durableName, noLocal, shareGroup, maxQueued,
                persistentOnlyWhileInactive, false);
    }

    public SubscriptionSpec(Destination destination, String selector, int prefetch, boolean exclusive,
                            String durableName, boolean noLocal, String shareGroup, int maxQueued,
                            boolean persistentOnlyWhileInactive, boolean creditBased) {
        this(destination, selector, prefetch, exclusive, durableName, noLocal, shareGroup, maxQueued,
                persistentOnlyWhileInactive, creditBased, 0);
    }
}
