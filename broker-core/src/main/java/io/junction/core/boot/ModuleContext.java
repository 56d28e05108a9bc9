package io.junction.core.boot;

import io.junction.core.broker.Broker;
import io.junction.core.security.Authenticator;
import io.junction.core.spi.Credentials;
import io.junction.core.spi.Principal;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.model.Destination;
import io.junction.core.spi.BrokerEvents;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolSettings;

import io.junction.core.spi.BrokerStatistics;
import io.junction.core.spi.StateStore;
import io.junction.core.store.MessageStore;
import io.netty.util.Timer;

import javax.security.auth.x500.X500Principal;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** What one protocol module sees of the broker. */
final class ModuleContext implements ProtocolContext {

    private final ProtocolSettings settings;
    private final Broker broker;
    private final MessageStore store;
    private final String moduleName;
    private final Authenticator authenticator;

    ModuleContext(String moduleName, ProtocolSettings settings, Broker broker, MessageStore store,
                  Authenticator authenticator) {
        this.moduleName = moduleName;
        this.authenticator = authenticator;
        this.settings = settings;
        this.broker = broker;
        this.store = store;
    }

    @Override
    public ProtocolSettings settings() {
        return settings;
    }

    @Override
    public CompletionStage<Principal> authenticate(String protocol, Credentials credentials) {
        return authenticator.authenticate(protocol, credentials);
    }

    @Override
    public boolean isMappedCertificate(X500Principal subject) {
        return authenticator.users().userWithCertificate(subject).isPresent();
    }

    @Override
    public BrokerConnection openConnection(String protocol, SocketAddress remoteAddress, String clientId,
                                           Principal principal) throws BrokerException {
        return broker.openConnection(protocol, remoteAddress, clientId, principal);
    }

    @Override
    public BrokerConnection internalConnection() {
        return broker.internalConnection(moduleName);
    }

    @Override
    public StateStore state(String namespace) {
        return new StoreBackedState(store, namespace);
    }

    @Override
    public void removeDurableSubscription(String clientId, String subscriptionName) throws BrokerException {
        broker.removeDurableSubscription(clientId, subscriptionName);
    }

    @Override
    public void maxBoundedMessages(long total) {
        broker.maxBoundedMessages(total);
    }

    @Override
    public Timer timer() {
        return broker.timer();
    }

    @Override
    public BrokerStatistics statistics() {
        return broker.statistics();
    }

    @Override
    public void watch(BrokerEvents listener) {
        broker.watch(listener);
    }

    @Override
    public List<Destination> temporaryDestinations() {
        return broker.temporaryDestinations();
    }
}
