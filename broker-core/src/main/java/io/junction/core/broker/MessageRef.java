package io.junction.core.broker;

import io.junction.core.model.Message;

/**
 * A queue's reference to a message, with the state this queue keeps for it. Confined to the
 * queue's executor.
 */
final class MessageRef {

    final Message message;
    /** Deliveries of this message by this queue that were not acknowledged. */
    int deliveryCount;
    /** The consumer holding it while it is in flight, and the id it was delivered under. */
    QueueConsumer consumer;
    long deliveryId;
    /** Acknowledged inside a transaction that has not ended yet. */
    boolean transactionallyAcked;

    MessageRef(Message message) {
        this.message = message;
    }
}
