package io.junction.openwire;

import io.junction.core.spi.ProtocolContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the OpenWire connections of one broker share: the broker context, the advisories, the
 * producer audit that drops resent messages, and the connections by client id, so that a client
 * coming back after a failover can take its client id over from its dead connection.
 */
final class OpenWireModuleState {

    private final ProtocolContext context;
    private final Advisories advisories;
    private final ProducerAudit audit;
    private final Map<String, OpenWireConnection> byClientId = new ConcurrentHashMap<>();

    OpenWireModuleState(ProtocolContext context, ProducerAudit audit) {
        this.context = context;
        this.audit = audit;
        this.advisories = new Advisories(context);
    }

    ProtocolContext context() {
        return context;
    }

    Advisories advisories() {
        return advisories;
    }

    ProducerAudit audit() {
        return audit;
    }

    void connectionOpened(String clientId, OpenWireConnection connection) {
        if (clientId != null) {
            byClientId.put(clientId, connection);
        }
    }

    void connectionClosed(String clientId, OpenWireConnection connection) {
        if (clientId != null) {
            byClientId.remove(clientId, connection);
        }
    }

    /**
     * A client reconnects after a failover under its client id: the connection that still holds
     * the id is one the broker has not yet seen die, and is closed.
     */
    void closeStale(String clientId, OpenWireConnection reconnecting) {
        OpenWireConnection stale = byClientId.remove(clientId);
        if (stale != null && stale != reconnecting) {
            stale.closeAsStale();
        }
    }
}
