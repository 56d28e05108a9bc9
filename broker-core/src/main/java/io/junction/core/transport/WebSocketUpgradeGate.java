package io.junction.core.transport;

import io.junction.core.spi.ProtocolModule;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses, with HTTP 400, an upgrade request that offers WebSocket subprotocols none of which this
 * listener serves. (Netty would otherwise complete the handshake without a subprotocol, and the
 * client would be left to notice.) A request that offers no subprotocol at all passes: the session
 * then serves the listener's only protocol, or detects it from the first bytes.
 */
final class WebSocketUpgradeGate extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgradeGate.class);

    private final Map<String, ProtocolModule> subprotocols;

    WebSocketUpgradeGate(Map<String, ProtocolModule> subprotocols) {
        this.subprotocols = subprotocols;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            List<String> offered = offered(request);
            if (!offered.isEmpty() && offered.stream().noneMatch(subprotocols::containsKey)) {
                log.warn("Refusing WebSocket upgrade from {}: subprotocols {} offered, this listener serves {}",
                        ctx.channel().remoteAddress(), offered, subprotocols.keySet());
                ReferenceCountUtil.release(request);
                refuse(ctx, "None of the WebSocket subprotocols " + offered + " is served here; this listener serves "
                        + subprotocols.keySet() + "\n");
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private static List<String> offered(FullHttpRequest request) {
        List<String> offered = new ArrayList<>();
        for (String header : request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            for (String name : header.split(",")) {
                if (!name.isBlank()) {
                    offered.add(name.trim());
                }
            }
        }
        return offered;
    }

    private static void refuse(ChannelHandlerContext ctx, String text) {
        FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                HttpResponseStatus.BAD_REQUEST, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
