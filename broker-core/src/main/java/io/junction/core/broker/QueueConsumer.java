package io.junction.core.broker;

import io.junction.core.model.Message;
import io.junction.core.selector.Selector;
import io.junction.core.spi.Consumer;
import io.junction.core.spi.ConsumerCallback;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.Transaction;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A consumer attached to a {@link Queue}. Its public methods may be called from any thread and
 * only submit work to the queue; everything else runs on the queue's executor.
 */
final class QueueConsumer implements Consumer {

    private static final long[] NONE = new long[0];

    private final Queue queue;
    private final ConsumerCallback callback;
    private final Selector selector;
    private final int prefetch;
    private final boolean exclusive;
    private final Runnable onClose;
    private final boolean creditBased;

    // Confined to the queue's executor.
    private final Map<Long, MessageRef> inFlight = new LinkedHashMap<>();
    private int unacked;
    /** Unacknowledged deliveries the client has handed to its application: outside the prefetch. */
    private int handedOver;
    private long lastDeliveryId;
    /** Deliveries a credit-based consumer has granted and not yet received. */
    private long credit;

    private volatile boolean closed;
    private int priority;

    /**
     * @param onClose runs once after the consumer is closed by its owner (a non-durable topic
     *                subscription deletes its queue there)
     */
    QueueConsumer(Queue queue, ConsumerCallback callback, Selector selector, int prefetch, boolean exclusive,
                  Runnable onClose) {
        this(queue, callback, selector, prefetch, exclusive, false, onClose);
    }

    /** @param creditBased the consumer receives only what it grants with {@link #addCredit(int)} */
    QueueConsumer(Queue queue, ConsumerCallback callback, Selector selector, int prefetch, boolean exclusive,
                  boolean creditBased, Runnable onClose) {
        this.creditBased = creditBased;
        this.queue = queue;
        this.callback = callback;
        this.selector = selector;
        this.prefetch = prefetch;
        this.exclusive = exclusive;
        this.onClose = onClose;
    }

    Queue queue() {
        return queue;
    }

    /** Sets the consumer's priority, before it is added to its queue. */
    QueueConsumer priority(int priority) {
        this.priority = priority;
        return this;
    }

    int priority() {
        return priority;
    }

    @Override
    public CompletionStage<Void> ack(long deliveryId) {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        queue.execute(() -> queue.acknowledge(this, deliveryId, durable));
        return durable;
    }

    @Override
    public void ackAll(long[] deliveryIds, int count) {
        queue.execute(() -> queue.acknowledgeAll(this, deliveryIds, count));
    }

    @Override
    public void ack(long deliveryId, Transaction transaction) {
        ((LocalTransaction) transaction).addAck(this, deliveryId);
        queue.execute(() -> queue.transactionalAck(this, deliveryId));
    }

    @Override
    public void reject(long deliveryId, String reason) {
        queue.execute(() -> queue.reject(this, deliveryId, reason));
    }

    @Override
    public void nack(long deliveryId) {
        queue.execute(() -> queue.negativeAck(this, deliveryId));
    }

    @Override
    public void close() {
        close(NONE);
    }

    @Override
    public void close(long[] neverSeen) {
        if (closed) {
            return;
        }
        closed = true;
        queue.execute(() -> queue.removeConsumer(this, neverSeen));
        onClose.run();
    }

    // ---- on the queue's executor ----

    boolean exclusive() {
        return exclusive;
    }

    boolean hasCredit() {
        return !closed && unacked - handedOver < prefetch && (!creditBased || credit > 0);
    }

    @Override
    public void handedToApplication(int count) {
        queue.execute(() -> {
            handedOver = Math.max(0, Math.min(count, unacked));
            queue.creditGranted();
        });
    }

    @Override
    public void addCredit(int more) {
        queue.execute(() -> {
            credit += more;
            queue.creditGranted();
        });
    }

    boolean accepts(Message message) {
        return selector == null || selector.matches(new MessageSelectorContext(message));
    }

    void deliver(MessageRef ref) {
        long id = ++lastDeliveryId;
        ref.consumer = this;
        ref.deliveryId = id;
        inFlight.put(id, ref);
        unacked++;
        if (creditBased) {
            credit--;
        }
        queue.broker().delivered();
        callback.deliver(new Delivery(id, ref.message, ref.origin, ref.deliveryCount,
                ref.deliveryCount > 0 || ref.recovered));
    }

    MessageRef inFlight(long deliveryId) {
        return inFlight.get(deliveryId);
    }

    MessageRef removeInFlight(long deliveryId) {
        return inFlight.remove(deliveryId);
    }

    /** A prefetch slot is free again. */
    void released() {
        unacked--;
        handedOver = Math.min(handedOver, unacked);
    }

    /** Removes and returns, in delivery order, the in-flight messages no open transaction holds. */
    List<MessageRef> takeUnackedInFlight() {
        List<MessageRef> taken = new ArrayList<>();
        for (Iterator<MessageRef> it = inFlight.values().iterator(); it.hasNext(); ) {
            MessageRef ref = it.next();
            if (!ref.transactionallyAcked) {
                it.remove();
                taken.add(ref);
            }
        }
        unacked = 0;
        handedOver = 0;
        return taken;
    }

    void closedByBroker(String reason) {
        closed = true;
        callback.closedByBroker(reason);
    }
}
