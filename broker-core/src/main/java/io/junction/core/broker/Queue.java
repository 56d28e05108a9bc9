package io.junction.core.broker;

import io.junction.core.config.ExpiryAction;
import io.junction.core.config.PolicyValues;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.util.SerialExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A queue: its waiting messages, its consumers, and what happens to a message on ack, nack, expiry
 * and redelivery. Every state change runs on the queue's own {@link SerialExecutor}; the public
 * entry points only submit tasks, so callers on event loops never wait.
 *
 * <p>A plain queue gives each message to one consumer, round-robin among those with prefetch
 * credit whose selector accepts it. A topic subscription is a queue too (see
 * {@link TopicSubscription}), with the subscriber as its only consumer.
 */
final class Queue {

    private static final Logger log = LoggerFactory.getLogger(Queue.class);

    private final String name;
    private final Destination origin;
    private final PolicyValues policy;
    private final Broker broker;
    private final SerialExecutor executor;

    // Confined to the executor.
    private final PendingMessages pending = new PendingMessages();
    private final List<QueueConsumer> consumers = new ArrayList<>();
    private int nextConsumer;
    private long arrivals;
    private boolean deleted;

    // Read by management and tests from any thread.
    private volatile int depth;
    private volatile int consumerCount;
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong dequeued = new AtomicLong();
    private volatile boolean sweepable;

    /**
     * @param origin the destination this queue's messages were addressed to: the queue itself, or
     *               the topic (pattern) of a subscription
     */
    Queue(String name, Destination origin, PolicyValues policy, Broker broker) {
        this.name = name;
        this.origin = origin;
        this.policy = policy;
        this.broker = broker;
        this.executor = broker.newSerialExecutor();
    }

    String name() {
        return name;
    }

    Destination origin() {
        return origin;
    }

    PolicyValues policy() {
        return policy;
    }

    void execute(Runnable task) {
        executor.execute(task);
    }

    /** Messages waiting or in flight (delivered, not yet acknowledged). */
    int depth() {
        return depth;
    }

    int consumerCount() {
        return consumerCount;
    }

    long enqueuedCount() {
        return enqueued.get();
    }

    long dequeuedCount() {
        return dequeued.get();
    }

    boolean needsExpirySweep() {
        return sweepable;
    }

    // ---- entry points (any thread) ----

    void enqueue(Message message) {
        enqueue(message, origin);
    }

    /** @param addressedTo the topic a subscription matched the message on, for its dead-letter origin */
    void enqueue(Message message, Destination addressedTo) {
        enqueued.incrementAndGet();
        executor.execute(() -> {
            if (deleted) {
                return;
            }
            pending.add(new MessageRef(message, addressedTo, ++arrivals));
            depth++;
            dispatch();
        });
    }

    void addConsumer(QueueConsumer consumer) {
        executor.execute(() -> {
            if (deleted) {
                consumer.closedByBroker("queue " + name + " was deleted");
                return;
            }
            consumers.add(consumer);
            consumerCount = consumers.size();
            dispatch();
        });
    }

    void sweepExpired() {
        executor.execute(() -> {
            long now = System.currentTimeMillis();
            for (Iterator<MessageRef> it = pending.iterator(); it.hasNext(); ) {
                MessageRef ref = it.next();
                if (ref.message.isExpired(now)) {
                    it.remove();
                    expire(ref);
                }
            }
            updateStats();
        });
    }

    /** Drops all messages and ends the subscriptions of its consumers. */
    void delete(String reason) {
        executor.execute(() -> {
            deleted = true;
            pending.clear();
            for (QueueConsumer c : consumers) {
                c.closedByBroker(reason);
            }
            consumers.clear();
            depth = 0;
            consumerCount = 0;
            sweepable = false;
        });
    }

    // ---- called on the executor by QueueConsumer and LocalTransaction ----

    void acknowledge(QueueConsumer consumer, long deliveryId) {
        MessageRef ref = consumer.removeInFlight(deliveryId);
        if (ref == null) {
            return;
        }
        if (!ref.transactionallyAcked) {
            consumer.released();
        }
        removed();
        dispatch();
    }

    void transactionalAck(QueueConsumer consumer, long deliveryId) {
        MessageRef ref = consumer.inFlight(deliveryId);
        if (ref == null || ref.transactionallyAcked) {
            return;
        }
        ref.transactionallyAcked = true;
        consumer.released();
        dispatch();
    }

    /** The transaction that acknowledged it rolled back: the message is offered again. */
    void rollbackAck(QueueConsumer consumer, long deliveryId) {
        MessageRef ref = consumer.removeInFlight(deliveryId);
        if (ref == null) {
            return;
        }
        ref.transactionallyAcked = false;
        redeliver(ref, "transaction rolled back");
        dispatch();
    }

    void negativeAck(QueueConsumer consumer, long deliveryId) {
        MessageRef ref = consumer.removeInFlight(deliveryId);
        if (ref == null) {
            return;
        }
        if (!ref.transactionallyAcked) {
            consumer.released();
        }
        ref.transactionallyAcked = false;
        redeliver(ref, "negatively acknowledged");
        dispatch();
    }

    /**
     * Removes a consumer and gives back what it held, except messages acknowledged inside a
     * still-open transaction: those stay with the consumer until the transaction ends.
     */
    void removeConsumer(QueueConsumer consumer) {
        if (!consumers.remove(consumer)) {
            return;
        }
        consumerCount = consumers.size();
        for (MessageRef ref : consumer.takeUnackedInFlight()) {
            redeliver(ref, "consumer closed without acknowledging");
        }
        dispatch();
    }

    // ---- internals ----

    private void redeliver(MessageRef ref, String why) {
        ref.consumer = null;
        ref.deliveryCount++;
        if (policy.maxRedeliveries() != PolicyValues.UNLIMITED && ref.deliveryCount > policy.maxRedeliveries()) {
            removed();
            deadLetter(ref, "delivery attempts exceeded max redeliveries (" + policy.maxRedeliveries()
                    + "), last: " + why);
            return;
        }
        long delay = policy.redeliveryDelay().toMillis();
        if (delay > 0) {
            // Still counted in depth while it waits.
            broker.timer().newTimeout(t -> executor.execute(() -> {
                if (!deleted) {
                    pending.add(ref);
                    dispatch();
                }
            }), delay, TimeUnit.MILLISECONDS);
        } else {
            pending.add(ref);
        }
    }

    private void dispatch() {
        if (!consumers.isEmpty() && !pending.isEmpty()) {
            QueueConsumer exclusive = exclusiveConsumer();
            long now = System.currentTimeMillis();
            for (Iterator<MessageRef> it = pending.iterator(); it.hasNext(); ) {
                if (exclusive != null ? !exclusive.hasCredit() : !anyCredit()) {
                    break;
                }
                MessageRef ref = it.next();
                if (ref.message.isExpired(now)) {
                    it.remove();
                    expire(ref);
                    continue;
                }
                QueueConsumer target = exclusive != null
                        ? (exclusive.accepts(ref.message) ? exclusive : null)
                        : nextConsumerFor(ref.message);
                if (target != null) {
                    it.remove();
                    target.deliver(ref);
                }
            }
        }
        updateStats();
    }

    private QueueConsumer exclusiveConsumer() {
        for (QueueConsumer c : consumers) {
            if (c.exclusive()) {
                return c;
            }
        }
        return null;
    }

    private boolean anyCredit() {
        for (QueueConsumer c : consumers) {
            if (c.hasCredit()) {
                return true;
            }
        }
        return false;
    }

    private QueueConsumer nextConsumerFor(Message message) {
        int n = consumers.size();
        for (int i = 0; i < n; i++) {
            int index = (nextConsumer + i) % n;
            QueueConsumer c = consumers.get(index);
            if (c.hasCredit() && c.accepts(message)) {
                nextConsumer = (index + 1) % n;
                return c;
            }
        }
        return null;
    }

    private void expire(MessageRef ref) {
        removed();
        if (policy.expiry() == ExpiryAction.EXPIRY_QUEUE
                && !policy.expiryQueue().equals(name)) {
            Message moved = ref.message.toBuilder()
                    .destination(Destination.queue(policy.expiryQueue()))
                    .expiration(0)
                    .property(Broker.PROP_ORIGINAL_DESTINATION, ref.origin.toString())
                    .property(Broker.PROP_FAILURE_CAUSE, "expired")
                    .build();
            broker.routeInternally(moved, policy.expiryQueue());
        } else {
            log.debug("Expired message {} dropped from {}", ref.message.messageId(), name);
        }
    }

    private void deadLetter(MessageRef ref, String reason) {
        String target = policy.deadLetterQueueFor(ref.origin.name());
        if (target.equals(name)) {
            log.warn("Message {} failed in dead-letter queue {} and is dropped: {}", ref.message.messageId(), name, reason);
            return;
        }
        // A dead letter is kept for inspection: it no longer expires.
        Message dead = ref.message.toBuilder()
                .destination(Destination.queue(target))
                .expiration(0)
                .property(Broker.PROP_ORIGINAL_DESTINATION, ref.origin.toString())
                .property(Broker.PROP_FAILURE_CAUSE, reason)
                .build();
        broker.routeInternally(dead, target);
    }

    private void removed() {
        depth--;
        dequeued.incrementAndGet();
    }

    private void updateStats() {
        sweepable = pending.hasExpiring();
    }
}
