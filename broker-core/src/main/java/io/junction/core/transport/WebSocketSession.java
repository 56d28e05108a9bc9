package io.junction.core.transport;

import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolModule;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Waits for the WebSocket handshake to complete, then replaces itself with the frame adapter and
 * installs the protocol: the one the negotiated subprotocol names; without a subprotocol, the
 * listener's only protocol, or (when it serves several) the one the first bytes show, as on TCP.
 */
final class WebSocketSession extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(WebSocketSession.class);

    private final Map<ProtocolModule, ProtocolContext> protocols;
    private final Map<String, ProtocolModule> subprotocols;

    WebSocketSession(Map<ProtocolModule, ProtocolContext> protocols, Map<String, ProtocolModule> subprotocols) {
        this.protocols = protocols;
        this.subprotocols = subprotocols;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (!(evt instanceof HandshakeComplete handshake)) {
            super.userEventTriggered(ctx, evt);
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        if (pipeline.get("ws-gate") != null) {
            pipeline.remove("ws-gate");
        }
        WebSocketFrameAdapter adapter = new WebSocketFrameAdapter();
        pipeline.replace(this, "ws-frames", adapter);
        String subprotocol = handshake.selectedSubprotocol();
        ProtocolModule module = subprotocol == null ? null : subprotocols.get(subprotocol);
        if (module == null && protocols.size() == 1) {
            module = protocols.keySet().iterator().next();
        }
        log.debug("WebSocket upgrade from {} to {} with subprotocol {}: {}", ctx.channel().remoteAddress(),
                handshake.requestUri(), subprotocol, module == null ? "detecting the protocol" : module.name());
        if (module != null) {
            module.install(pipeline, protocols.get(module));
            pipeline.addLast("ws-errors", new WebSocketErrorCloser(adapter));
        } else {
            pipeline.addLast("protocol-detector", new ProtocolDetector(protocols,
                    p -> p.addLast("ws-errors", new WebSocketErrorCloser(adapter))));
        }
    }
}
