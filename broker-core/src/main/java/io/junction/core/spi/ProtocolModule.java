package io.junction.core.spi;

import io.junction.core.model.Message;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;

import java.util.List;

/**
 * A wire protocol, found at start-up through {@link java.util.ServiceLoader}. A module translates
 * its frames into calls on a {@link BrokerConnection} and back; it holds no queue, store or
 * security logic of its own.
 *
 * <p>The transport (TCP, TLS or WebSocket) prepares the channel, then the listener either
 * installs the only protocol it serves or detects the protocol from the first bytes (on WebSocket,
 * the subprotocol can decide first). On TLS the protocol sees decrypted bytes; {@link TlsPeer} tells
 * it about the client's certificate.
 */
public interface ProtocolModule {

    /** Lower-case name used in listener configuration and logs, e.g. {@code stomp}. */
    String name();

    /** The keys of this module's {@code protocols.<name>} section in the broker configuration. */
    List<Setting<?>> settings();

    /**
     * Looks at the first bytes a client sent (without consuming them) and says whether they begin
     * this protocol's handshake.
     */
    Detection detect(ByteBuf prefix);

    /**
     * Called once when the broker has started, before any listener accepts: a module with state of
     * its own (sessions, timers) loads and starts it here.
     */
    default void start(ProtocolContext context) {
    }

    /**
     * Called for each stored message the broker recovers when it starts, before {@link
     * #start(ProtocolContext)} and from the recovering thread: a module may note what it needs
     * (OpenWire rebuilds its filter of resent messages from their ids). Must be quick.
     */
    default void recovered(Message message) {
    }

    /**
     * Called once when the broker stops, before connections are closed: a module may tell its
     * clients why (an MQTT 5 DISCONNECT, say) and stops its timers.
     */
    default void stop() {
    }

    /** Adds this protocol's codec and handler to a freshly prepared channel pipeline. */
    void install(ChannelPipeline pipeline, ProtocolContext context);

    /** The answer of {@link #detect(ByteBuf)}. */
    enum Detection {
        MATCH,
        NO_MATCH,
        NEED_MORE
    }
}
