package io.junction.core.spi;

import io.junction.core.model.Destination;

/**
 * What happens in the broker that a protocol may tell its clients about (ActiveMQ's advisory
 * topics). Called on the thread that made the change; implementations hand the work to their own
 * threads and never block.
 */
public interface BrokerEvents {

    /** A temporary queue or topic was created, by a client of any protocol. */
    void temporaryDestinationCreated(Destination destination);

    /** A temporary queue or topic was deleted (explicitly or with its connection). */
    void temporaryDestinationDeleted(Destination destination);

    /**
     * A consumer started on a destination (as its client named it: a queue, a topic or a topic
     * pattern).
     *
     * @param consumerId     broker-unique id of the consumer
     * @param consumerCount  the destination's consumers now, this one included
     */
    void consumerOpened(Destination destination, String consumerId, int consumerCount);

    /** A consumer stopped; {@code consumerCount} is what remains. */
    void consumerClosed(Destination destination, String consumerId, int consumerCount);
}
