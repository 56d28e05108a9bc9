package io.junction.core.spi;

import io.junction.core.model.Destination;

import io.netty.util.Timer;

import java.net.SocketAddress;
import java.util.List;

/** The only view of the broker that a protocol module gets. */
public interface ProtocolContext {

    /** The module's validated configuration section. */
    ProtocolSettings settings();

    /**
     * Checks what a client presented against the users file and the policy of the listener it came
     * through (anonymous access, groups allowed to connect). Success and failure are written to the
     * audit log. Call it before the connection takes over anything (a session, a client id).
     *
     * @throws AuthenticationException to be answered with the protocol's refusal after its delay
     */
    Principal authenticate(String protocol, Credentials credentials) throws AuthenticationException;

    /**
     * Registers a client connection once the protocol's handshake names the client and
     * {@link #authenticate} has accepted it. Logs one line per connection opened and closed.
     *
     * @param clientId  the client id the protocol carries, or null when it has none
     * @param principal what {@link #authenticate} returned
     */
    BrokerConnection openConnection(String protocol, SocketAddress remoteAddress, String clientId,
                                    Principal principal) throws BrokerException;

    /** {@link #authenticate} then {@link #openConnection(String, SocketAddress, String, Principal)}. */
    default BrokerConnection openConnection(String protocol, Credentials credentials, String clientId)
            throws BrokerException {
        Principal principal = authenticate(protocol, credentials);
        return openConnection(protocol, credentials.remoteAddress(), clientId, principal);
    }

    /**
     * The module's own connection to the broker, for messages it publishes itself (wills, status
     * topics); not counted or logged as a client connection.
     */
    BrokerConnection internalConnection();

    /** The protocol's own durable state under a namespace (e.g. {@code mqtt.sessions}). */
    StateStore state(String namespace);

    /**
     * Removes a durable subscription of a client id that is not connected, with the messages it
     * kept; nothing happens when there is none.
     */
    void removeDurableSubscription(String clientId, String subscriptionName) throws BrokerException;

    /**
     * Bounds the messages that all subscriptions with {@link SubscriptionSpec#maxQueued()} hold
     * together (0 = no bound).
     */
    void maxBoundedMessages(long total);

    /** The broker's timer, for protocol timeouts that are not tied to one channel. */
    Timer timer();

    BrokerStatistics statistics();

    /** Tells the listener of temporary destinations and consumers from now on. */
    void watch(BrokerEvents listener);

    /** The temporary destinations that exist now, of every connection. */
    List<Destination> temporaryDestinations();
}
