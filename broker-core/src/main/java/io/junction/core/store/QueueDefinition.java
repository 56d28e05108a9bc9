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
 * @param maxMessages most messages the queue keeps, the oldest dropped past it; 0 for no limit
 * @param persistentOnlyWhileInactive for a durable subscription: while it has no consumer, it
 *                    takes persistent messages only (MQTT does not queue QoS 0 for absent clients)
 * @param boundGroup  the queues that share {@code maxMessages} (a client id), or null for this one alone
 */
public record QueueDefinition(long id, String name, String topic, String selector, int maxMessages,
                              boolean persistentOnlyWhileInactive, String boundGroup) {

    public QueueDefinition(long id, String name, String topic, String selector) {
        this(id, name, topic, selector, 0, false, null);
    }

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
