package io.junction.core.spi;

import io.junction.core.model.Destination;

import io.netty.util.Timer;

import javax.security.auth.x500.X500Principal;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The only view of the broker that a protocol module gets. */
public interface ProtocolContext {

    /** The module's validated configuration section. */
    ProtocolSettings settings();

    /**
     * Checks what a client presented against the users file and the policy of the listener it came
     * through (anonymous access, groups allowed to connect). Success and failure are written to the
     * audit log. Call it before the connection takes over anything (a session, a client id).
     *
     * <p>Checking a password can take a large part of a second (PBKDF2), so it never runs on the
     * caller's thread: the stage completes at once when no password hash has to be computed, and
     * otherwise on one of the authenticator's own threads. Continue with
     * {@link LoginOutcome#onEventLoop}, and read nothing more from the client meanwhile. The
     * password in {@code credentials} is cleared once the stage completes.
     *
     * @return the principal, or a failure with an {@link AuthenticationException} to be answered
     *         with the protocol's refusal after its delay
     */
    CompletionStage<Principal> authenticate(String protocol, Credentials credentials);

    /**
     * True when a client certificate with this subject logs in as a user of {@code users.yaml},
     * so that a protocol offers certificate login (AMQP SASL EXTERNAL) only to clients it would
     * accept.
     */
    boolean isMappedCertificate(X500Principal subject);

    /**
     * Registers a client connection once the protocol's handshake names the client and
     * {@link #authenticate} has accepted it. Logs one line per connection opened and closed.
     *
     * @param clientId  the client id the protocol carries, or null when it has none
     * @param principal what {@link #authenticate} returned
     */
    BrokerConnection openConnection(String protocol, SocketAddress remoteAddress, String clientId,
                                    Principal principal) throws BrokerException;

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
