package io.junction.core.spi;

import java.util.concurrent.CompletionStage;

/**
 * A subscription's handle, held by the protocol. Acknowledgement ids are the
 * {@link Delivery#id()} values this consumer received.
 */
public interface Consumer {

    /**
     * Acknowledges one delivery: the message is done with and its prefetch slot frees up. The
     * stage completes once the acknowledgement is durable (at once for a message that is not
     * stored), which is when a protocol may confirm it to the client.
     */
    CompletionStage<Void> ack(long deliveryId);

    /**
     * Acknowledges several deliveries at once, with nobody waiting for the acknowledgements to be
     * durable (MQTT QoS 0 deliveries, say): cheaper than one {@link #ack(long)} each. The array
     * is the consumer's from then on.
     *
     * @param count how many of the array's first ids to acknowledge
     */
    void ackAll(long[] deliveryIds, int count);

    /**
     * Acknowledges one delivery inside a transaction: the prefetch slot frees up now, the message
     * is removed on commit and redelivered on rollback.
     */
    void ack(long deliveryId, Transaction transaction);

    /**
     * Gives a delivery back as not processed: it is redelivered (after the destination's
     * redelivery delay) or, past its maximum redeliveries, moved to the dead-letter queue.
     */
    void nack(long deliveryId);

    /**
     * Refuses a delivery for good: it goes to the dead-letter queue at once, with the reason as
     * its failure cause (AMQP's rejected outcome).
     */
    void reject(long deliveryId, String reason);

    /**
     * Grants a credit-based consumer ({@link SubscriptionSpec#creditBased()}) that many more
     * deliveries; other consumers ignore it.
     */
    void addCredit(int credit);

    /**
     * The client has handed this many of its unacknowledged deliveries to the application, which
     * acknowledges them later (ActiveMQ's delivered ack: a transaction's or a client-acknowledge
     * session's receives). They stop counting against the prefetch, so that more may come before
     * the acknowledgements do.
     */
    void handedToApplication(int count);

    /** Stops deliveries; unacknowledged messages return to the queue marked redelivered. */
    void close();

    /**
     * Stops deliveries like {@link #close()}, except that the listed deliveries, which the client
     * only prefetched and its application never saw, return to the queue as they were: not
     * counted as a delivery attempt, not marked redelivered.
     */
    void close(long[] neverSeen);
}
