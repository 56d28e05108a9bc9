package io.junction.core.spi;

import java.net.SocketAddress;

/** The only view of the broker that a protocol module gets. */
public interface ProtocolContext {

    /** The module's validated configuration section. */
    ProtocolSettings settings();

    /**
     * Registers a client connection once the protocol's handshake names the client. Logs one line
     * per connection opened and closed.
     *
     * @param clientId the client id the protocol carries, or null when it has none
     */
    BrokerConnection openConnection(String protocol, SocketAddress remoteAddress, String clientId)
            throws BrokerException;
}
