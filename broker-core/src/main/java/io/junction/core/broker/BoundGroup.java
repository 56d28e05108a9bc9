package io.junction.core.broker;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounded queues that share one message count: the subscriptions of one client id (an MQTT
 * session's), whose bound is for the client as a whole. A queue without a group name has a group
 * of its own.
 */
final class BoundGroup {

    /** Messages the group's queues hold (waiting, paged or in flight). */
    final AtomicInteger messages = new AtomicInteger();
    private final String name;
    private int queues;

    private BoundGroup(String name) {
        this.name = name;
    }

    static BoundGroup alone() {
        return new BoundGroup(null);
    }

    /** The groups by name; a group lives while a queue belongs to it. */
    static final class Registry {

        private final Map<String, BoundGroup> groups = new HashMap<>();

        synchronized BoundGroup join(String name) {
            if (name == null) {
                return alone();
            }
            BoundGroup group = groups.computeIfAbsent(name, BoundGroup::new);
            group.queues++;
            return group;
        }

        synchronized void leave(BoundGroup group) {
            if (group.name != null && --group.queues == 0) {
                groups.remove(group.name, group);
            }
        }
    }
}
