package io.junction.core.config;

import io.junction.core.spi.ListenerLimits;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One listening socket: which protocols it serves, over which transport, where.
 *
 * @param name      unique among the listeners, {@code [a-z0-9-]+}
 * @param protocols the protocol module names served; several mean the protocol is detected per connection
 * @param port      0 to 65535; 0 binds an ephemeral port
 * @param enabled   false keeps the listener in the file but does not open it
 * @param webSocketMaxFrameSize on a {@code ws} or {@code wss} listener, the largest WebSocket frame
 *                  payload a client may send, in bytes; a larger frame closes the connection with
 *                  close code 1009. Not used by other transports.
 * @param tls       the key and trust stores of a {@code tls} or {@code wss} listener; empty for {@code tcp}
 *                  and {@code ws}
 * @param limits    the largest message a client may send and the most connections open at once
 */
public record ListenerConfig(String name, List<String> protocols, Transport transport, String host, int port,
                             boolean enabled, int webSocketMaxFrameSize, Optional<TlsConfig> tls,
                             ListenerLimits limits) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int STOMP_PORT = 61613;
    public static final int MQTT_PORT = 1883;
    public static final int AMQP_PORT = 5672;
    public static final int OPENWIRE_PORT = 61616;
    public static final int STOMP_TLS_PORT = 61612;
    public static final int MQTT_TLS_PORT = 8883;
    public static final int AMQP_TLS_PORT = 5671;
    public static final int OPENWIRE_TLS_PORT = 61617;
    /** The usual WebSocket port (design section 8), as ActiveMQ and Amazon MQ use it. */
    public static final int WEBSOCKET_PORT = 61614;
    /** The usual WebSocket-over-TLS port (design section 8). */
    public static final int WEBSOCKET_TLS_PORT = 61619;
    /** Smallest {@link #webSocketMaxFrameSize} accepted: the protocols' handshakes must fit. */
    public static final int MIN_WEBSOCKET_MAX_FRAME_SIZE = 1024;
    /** Largest {@link #webSocketMaxFrameSize} accepted. */
    public static final int MAX_WEBSOCKET_MAX_FRAME_SIZE = 1024 * 1024 * 1024;
    /**
     * What the default {@link #webSocketMaxFrameSize} allows beyond the listener's maxMessageSize: room
     * for a protocol's own headers (a STOMP frame's, at most 128 lines of 8 KB by default), so that a
     * message a little over the limit, sent in one WebSocket frame, still reaches the protocol and gets
     * its own refusal rather than close code 1009.
     */
    public static final int WEBSOCKET_FRAME_HEADROOM = 1024 * 1024;
    /** Default of {@link #webSocketMaxFrameSize} with the default maxMessageSize. */
    public static final int DEFAULT_WEBSOCKET_MAX_FRAME_SIZE =
            defaultWebSocketMaxFrameSize(ListenerLimits.DEFAULT_MAX_MESSAGE_SIZE);

    /** The listener used when the file has no {@code listeners} section. */
    public static final ListenerConfig DEFAULT =
            new ListenerConfig("stomp", List.of("stomp"), Transport.TCP, DEFAULT_HOST, STOMP_PORT, true);

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        protocols = List.copyOf(protocols);
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port of listener '" + name + "' must be 0 to 65535, was " + port);
        }
        if (webSocketMaxFrameSize < MIN_WEBSOCKET_MAX_FRAME_SIZE || webSocketMaxFrameSize > MAX_WEBSOCKET_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("webSocketMaxFrameSize of listener '" + name + "' must be "
                    + MIN_WEBSOCKET_MAX_FRAME_SIZE + " to " + MAX_WEBSOCKET_MAX_FRAME_SIZE + ", was "
                    + webSocketMaxFrameSize);
        }
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        if (transport.isTls() != tls.isPresent()) {
            throw new IllegalArgumentException("listener '" + name + "': TLS settings go with transport tls or wss, and"
                    + " only with them");
        }
    }

    /** A listener with the default {@link #limits}. */
    public ListenerConfig(String name, List<String> protocols, Transport transport, String host, int port,
                          boolean enabled, int webSocketMaxFrameSize, Optional<TlsConfig> tls) {
        this(name, protocols, transport, host, port, enabled, webSocketMaxFrameSize, tls, ListenerLimits.DEFAULT);
    }

    /** A listener without TLS settings and with the default {@link #webSocketMaxFrameSize} and limits (tcp, ws). */
    public ListenerConfig(String name, List<String> protocols, Transport transport, String host, int port,
                          boolean enabled) {
        this(name, protocols, transport, host, port, enabled, DEFAULT_WEBSOCKET_MAX_FRAME_SIZE, Optional.empty());
    }

    public ListenerConfig withPort(int newPort) {
        return new ListenerConfig(name, protocols, transport, host, newPort, enabled, webSocketMaxFrameSize, tls,
                limits);
    }

    /** The {@link #webSocketMaxFrameSize} of a listener that does not give one: its maxMessageSize plus headroom. */
    public static int defaultWebSocketMaxFrameSize(int maxMessageSize) {
        return (int) Math.min((long) maxMessageSize + WEBSOCKET_FRAME_HEADROOM, MAX_WEBSOCKET_MAX_FRAME_SIZE);
    }

    /**
     * The listeners used when the file has no {@code listeners} section: STOMP's, and one per
     * other installed protocol on its usual port (design section 8).
     */
    static List<ListenerConfig> defaultsFor(Collection<String> installed) {
        List<ListenerConfig> listeners = new ArrayList<>();
        listeners.add(DEFAULT);
        if (installed.contains("mqtt")) {
            listeners.add(new ListenerConfig("mqtt", List.of("mqtt"), Transport.TCP, DEFAULT_HOST, MQTT_PORT, true));
        }
        if (installed.contains("amqp")) {
            listeners.add(new ListenerConfig("amqp", List.of("amqp"), Transport.TCP, DEFAULT_HOST, AMQP_PORT, true));
        }
        if (installed.contains("openwire")) {
            listeners.add(new ListenerConfig("openwire", List.of("openwire"), Transport.TCP, DEFAULT_HOST, OPENWIRE_PORT,
                    true));
        }
        return listeners;
    }

    /** A protocol of the {@link #DEFAULT} listener that is not among {@code installed}, if any. */
    static Optional<String> defaultProtocolMissingFrom(Collection<String> installed) {
        return DEFAULT.protocols().stream().filter(protocol -> !installed.contains(protocol)).findFirst();
    }
}
