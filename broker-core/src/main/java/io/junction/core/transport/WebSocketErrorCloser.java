package io.junction.core.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Last in a WebSocket channel's pipeline, after the protocol: an error the protocol left unhandled
 * closes the WebSocket with a code that says why, 1002 (protocol error) for input the protocol's
 * decoder could not read, 1011 (internal error) for anything else.
 */
final class WebSocketErrorCloser extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(WebSocketErrorCloser.class);

    private final WebSocketFrameAdapter adapter;

    WebSocketErrorCloser(WebSocketFrameAdapter adapter) {
        this.adapter = adapter;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("WebSocket connection from {} failed", ctx.channel().remoteAddress(), cause);
            ctx.close();
            return;
        }
        if (cause instanceof DecoderException) {
            Throwable reason = cause.getCause() != null ? cause.getCause() : cause;
            log.warn("Closing WebSocket connection from {}: malformed input: {}", ctx.channel().remoteAddress(),
                    reason.toString());
            adapter.closeWith(WebSocketCloseStatus.PROTOCOL_ERROR, String.valueOf(reason.getMessage()));
        } else {
            log.warn("Closing WebSocket connection from {} after an error", ctx.channel().remoteAddress(), cause);
            adapter.closeWith(WebSocketCloseStatus.INTERNAL_SERVER_ERROR, null);
        }
        ctx.channel().close();
    }
}
