package io.junction.core.spi;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.model.Message;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A client connection as the broker sees it, whatever its protocol. Methods may be called from the
 * connection's event loop; none of them blocks.
 */
public interface BrokerConnection {

    /** A broker-unique id, used in logs and in the names of temporary destinations. */
    String id();

    /** The client id the protocol gave, or null. Durable subscriptions need one. */
    String clientId();

    /**
     * Routes a message to its destination(s). The stage completes when the broker has taken
     * responsibility for it (for a persistent message, once it is stored), which is when a
     * protocol may acknowledge the producer. It completes exceptionally with a
     * {@link BrokerException} when the send is refused.
     */
    CompletionStage<Void> send(Message message);

    /**
     * Sends a message to a topic and keeps it as the topic's retained message, given first to
     * subscribers that ask for retained messages; a message with an empty body clears the topic's
     * retained message instead. Retained messages are stored whatever their persistence. The stage
     * completes once the message is routed and the retained change is stored.
     */
    CompletionStage<Void> sendRetained(Message message);

    /**
     * The messages a queue holds now that the selector takes, in delivery order, without taking
     * them (a JMS QueueBrowser); messages paged to disk are not included.
     */
    CompletionStage<List<Message>> browse(Destination queue, String selector) throws BrokerException;

    /** The retained messages of the topics a topic (pattern) matches; none for a queue. */
    List<Message> retainedMessages(Destination pattern) throws BrokerException;

    /** Starts a subscription; deliveries go to the callback until the consumer is closed. */
    Consumer subscribe(SubscriptionSpec spec, ConsumerCallback callback) throws BrokerException;

    /** Removes a durable topic subscription of this client id and the messages it kept. */
    void unsubscribeDurable(String subscriptionName) throws BrokerException;

    /**
     * A temporary destination owned by this connection, deleted when it closes. The same local
     * name on the same connection gives the same destination.
     *
     * @throws NotAuthorizedException when the user may not create temporary destinations
     */
    Destination temporaryDestination(DestinationType type, String localName) throws NotAuthorizedException;

    /**
     * A temporary destination owned by this connection under a name the client chose (OpenWire
     * clients name theirs, unique by their connection id), deleted when the connection closes.
     */
    Destination temporaryDestinationNamed(Destination destination) throws NotAuthorizedException;

    /**
     * Deletes a temporary destination this connection created, before the connection closes;
     * refused while a consumer still uses it.
     */
    void deleteTemporaryDestination(Destination destination) throws BrokerException;

    /** Starts a local transaction: its sends and acks take effect together on commit. */
    Transaction beginTransaction();

    /**
     * Closes the connection: its consumers stop, unacknowledged deliveries return to their queues
     * marked redelivered, open transactions roll back, temporary destinations are deleted.
     *
     * @param reason logged with the close, e.g. "client disconnected" or the protocol error
     */
    void close(String reason);
}
