package io.junction.core.transport;

import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolModule;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.util.Map;

/**
 * Prepares a channel of a {@code ws} or {@code wss} listener: the HTTP upgrade, then WebSocket frames carried to and
 * from the protocol module as a plain byte stream, so that no module knows about WebSocket.
 *
 * <p>Pipeline, in order: {@code http-codec} (HttpServerCodec), {@code http-aggregator} (the upgrade
 * request, at most {@link #MAX_UPGRADE_REQUEST} bytes of body), {@code ws-gate}
 * ({@link WebSocketUpgradeGate}: refuses subprotocols this listener does not serve with HTTP 400),
 * {@code ws-protocol} (Netty's WebSocketServerProtocolHandler: handshake, ping/pong, close frames,
 * the frame size limit with close code 1009), {@code ws-session} ({@link WebSocketSession}: once the
 * handshake is done, installs {@link WebSocketFrameAdapter} and the chosen protocol module).
 *
 * <p>Every request path is accepted ({@code ws://host:port/}, {@code /mqtt}, {@code /stomp}, ...):
 * clients disagree on their default path, and the listener, not the path, says what is served.
 *
 * <p>{@code wss} is this same preparation behind TLS: {@link TlsTransport} adds its first-byte check,
 * {@code SslHandler} and handshake gate first, and the listener calls {@link #prepare} once the TLS
 * handshake has succeeded; nothing here depends on whether the bytes were encrypted.
 */
final class WebSocketTransport {

    /** The upgrade request carries no body; a request with a larger one is answered 413. */
    static final int MAX_UPGRADE_REQUEST = 8192;
    /** How long a client may take between connecting and completing the upgrade. */
    static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private WebSocketTransport() {
    }

    /**
     * Adds the WebSocket handlers to a freshly accepted (or, for {@code wss}, freshly TLS-wrapped)
     * channel; the protocol module is installed when the upgrade completes.
     *
     * @param protocols    the protocols the listener serves, with their contexts
     * @param maxFrameSize the largest frame payload a client may send, in bytes
     */
    static void prepare(ChannelPipeline pipeline, Map<ProtocolModule, ProtocolContext> protocols,
                               int maxFrameSize) {
        Map<String, ProtocolModule> subprotocols = WebSocketSubprotocols.served(protocols.keySet());
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .subprotocols(subprotocols.isEmpty() ? null : String.join(",", subprotocols.keySet()))
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(maxFrameSize)
                        .allowExtensions(false)
                        .closeOnProtocolViolation(true)
                        .build())
                .build();
        pipeline.addLast("http-codec", new HttpServerCodec());
        pipeline.addLast("http-aggregator", new HttpObjectAggregator(MAX_UPGRADE_REQUEST));
        pipeline.addLast("ws-gate", new WebSocketUpgradeGate(subprotocols));
        pipeline.addLast("ws-protocol", new WebSocketServerProtocolHandler(config));
        pipeline.addLast("ws-session", new WebSocketSession(protocols, subprotocols));
    }
}
