package io.junction.core.store;

import java.util.Objects;

/**
 * What the store keeps of a durable queue: a named queue, or a durable topic subscription with
 * its topic pattern, selector and {@code clientId:subscriptionName} key.
 *
 * @param id       broker-assigned, never reused
 * @param name     the queue name, or the subscription key
 * @param topic    for a durable subscription: the topic pattern; null for a queue
 * @param selector for a durable subscription: its selector, or null
 */
public record QueueDefinition(long id, String name, String topic, String selector) {

    public QueueDefinition {
        Objects.requireNonNull(name, "name");
        if (id <= 0) {
            throw new IllegalArgumentException("queue id must be positive, was " + id);
        }
    }

    public boolean isSubscription() {
        return topic != null;
    }
}
