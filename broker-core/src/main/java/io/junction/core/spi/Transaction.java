package io.junction.core.spi;

import io.junction.core.model.Message;

import java.util.concurrent.CompletionStage;

/**
 * A local transaction of one connection: sends are held back and acks are provisional until
 * {@link #commit()}; {@link #rollback()} drops the sends and redelivers the acknowledged messages.
 */
public interface Transaction {

    /** Adds a send; nothing is routed until commit. Fails like a send for an invalid destination. */
    void send(Message message) throws BrokerException;

    /** Routes the sends and applies the acks. Completes when the outcome is durable. */
    CompletionStage<Void> commit();

    /** Discards the sends and gives the acknowledged messages back for redelivery. */
    void rollback();
}
