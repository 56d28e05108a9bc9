package io.junction.core.spi;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The abuse limits of one listener. The transport sets them on every channel it accepts
 * ({@link #KEY}), so that a protocol module reads the limit of the listener a connection came
 * through, as it reads the listener's name from {@link Credentials#LISTENER}.
 *
 * @param maxMessageSize the largest message a client may send, in bytes, as each protocol measures
 *                       it: an MQTT packet, a STOMP frame body, an OpenWire command, an AMQP message
 *                       (all its transfer frames together)
 * @param maxConnections connections the listener keeps open at once; 0 for no limit
 */
public record ListenerLimits(int maxMessageSize, int maxConnections) {

    /** Default of {@link #maxMessageSize}: 10 MB, as ActiveMQ ships its transport connectors. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 10 * 1024 * 1024;
    /** Smallest {@link #maxMessageSize}: every protocol's handshake must fit. */
    public static final int MIN_MAX_MESSAGE_SIZE = 1024;
    /** Largest {@link #maxMessageSize}. */
    public static final int MAX_MAX_MESSAGE_SIZE = 1024 * 1024 * 1024;

    public static final ListenerLimits DEFAULT = new ListenerLimits(DEFAULT_MAX_MESSAGE_SIZE, 0);

    /** The limits of the listener a channel was accepted by; set by the transport on every channel. */
    public static final AttributeKey<ListenerLimits> KEY = AttributeKey.valueOf("junction.listenerLimits");

    public ListenerLimits {
        if (maxMessageSize < MIN_MAX_MESSAGE_SIZE || maxMessageSize > MAX_MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("maxMessageSize must be " + MIN_MAX_MESSAGE_SIZE + " to "
                    + MAX_MAX_MESSAGE_SIZE + ", was " + maxMessageSize);
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must be 0 (no limit) or more, was " + maxConnections);
        }
    }

    /** The limits set on the channel, or {@link #DEFAULT} on a channel no listener accepted (tests). */
    public static ListenerLimits of(Channel channel) {
        ListenerLimits limits = channel.attr(KEY).get();
        return limits == null ? DEFAULT : limits;
    }
}
