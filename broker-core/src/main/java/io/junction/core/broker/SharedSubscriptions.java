package io.junction.core.broker;

import io.junction.core.config.PolicyValues;
import io.junction.core.selector.Selector;
import io.junction.core.spi.Consumer;
import io.junction.core.spi.ConsumerCallback;
import io.junction.core.spi.SubscriptionSpec;

import java.util.HashMap;
import java.util.Map;

/**
 * Shared topic subscriptions (MQTT 5 {@code $share/group/filter}, JMS 2 shared consumers): one
 * queue per group and pattern, bound to the topic while the group has members, its messages
 * dispatched round-robin among them.
 */
final class SharedSubscriptions {

    private final Broker broker;
    /** By {@code group:type:pattern}; guarded by this. */
    private final Map<String, Group> groups = new HashMap<>();

    SharedSubscriptions(Broker broker) {
        this.broker = broker;
    }

    /** Adds a member to the group's subscription, creating it for the first member. */
    Consumer join(SubscriptionSpec spec, Selector selector, TopicIndex index, PolicyValues policy,
                  ConsumerCallback callback) {
        String pattern = spec.destination().name();
        String key = spec.shareGroup() + ":" + spec.destination();
        Group group;
        synchronized (this) {
            group = groups.get(key);
            if (group == null) {
                Queue queue = new Queue("shared." + key, null, spec.destination(), policy, broker, spec.maxQueued(),
                        null);
                group = new Group(new TopicSubscription(pattern, selector, queue, null, null), index);
                index.add(group.subscription);
                groups.put(key, group);
            }
            group.members++;
        }
        Group joined = group;
        Queue queue = joined.subscription.queue();
        QueueConsumer consumer = new QueueConsumer(queue, callback, null, spec.prefetch(), false, spec.creditBased(),
                () -> leave(key, joined));
        queue.addConsumer(consumer);
        return consumer;
    }

    /** The last member to leave ends the subscription; what it still held is dropped with it. */
    private synchronized void leave(String key, Group group) {
        if (--group.members == 0) {
            groups.remove(key);
            group.index.remove(group.subscription);
            group.subscription.queue().delete("shared subscription has no members left");
        }
    }

    synchronized int size() {
        return groups.size();
    }

    private static final class Group {
        final TopicSubscription subscription;
        final TopicIndex index;
        int members;

        Group(TopicSubscription subscription, TopicIndex index) {
            this.subscription = subscription;
            this.index = index;
        }
    }
}
