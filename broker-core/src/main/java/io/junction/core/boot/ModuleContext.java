package io.junction.core.boot;

import io.junction.core.broker.Broker;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolSettings;

import java.net.SocketAddress;

/** What one protocol module sees of the broker. */
final class ModuleContext implements ProtocolContext {

    private final ProtocolSettings settings;
    private final Broker broker;

    ModuleContext(ProtocolSettings settings, Broker broker) {
        this.settings = settings;
        this.broker = broker;
    }

    @Override
    public ProtocolSettings settings() {
        return settings;
    }

    @Override
    public BrokerConnection openConnection(String protocol, SocketAddress remoteAddress, String clientId)
            throws BrokerException {
        return broker.openConnection(protocol, remoteAddress, clientId);
    }
}
