package io.junction.core.spi;

/**
 * Implemented by a protocol to receive a consumer's deliveries. Calls come from the queue's
 * dispatch thread, one at a time and in order per consumer; an implementation hands the write to
 * its channel's event loop and returns.
 */
public interface ConsumerCallback {

    void deliver(Delivery delivery);

    /**
     * The broker ended the subscription (its destination was deleted, or the broker is stopping).
     */
    void closedByBroker(String reason);
}
