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
 */
public record SubscriptionSpec(Destination destination, String selector, int prefetch, boolean exclusive,
                               String durableName) {

    public SubscriptionSpec {
        Objects.requireNonNull(destination, "destination");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
        }
    }
}
