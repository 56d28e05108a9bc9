package io.junction.core.broker;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;

/**
 * A queue's reference to a message, with the state this queue keeps for it. Confined to the
 * queue's executor.
 */
final class MessageRef {

    final Message message;
    /**
     * Where the message was addressed when it reached this queue: the queue itself, or the topic a
     * subscription matched it on. Dead letters and expired messages name it as their origin.
     */
    final Destination origin;
    /** Arrival order in this queue, which keeps a returned message's place. */
    final long sequence;
    /** Deliveries of this message by this queue that were not acknowledged. */
    int deliveryCount;
    /** The consumer holding it while it is in flight, and the id it was delivered under. */
    QueueConsumer consumer;
    long deliveryId;
    /** Acknowledged inside a transaction that has not ended yet. */
    boolean transactionallyAcked;
    /** Read back from the store at start-up, so possibly delivered before: it goes out redelivered. */
    boolean recovered;

    MessageRef(Message message, Destination origin, long sequence) {
        this.message = message;
        this.origin = origin;
        this.sequence = sequence;
    }
}
