package io.junction.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Between WebSocket frames and a protocol's byte stream. Inbound, the payload of every data frame
 * (binary, text, and the continuation frames of a fragmented message) is passed on as it comes: the
 * protocols frame their own messages, so WebSocket message boundaries carry no meaning and need no
 * reassembly. Outbound, every buffer the protocol writes goes out as one binary frame.
 *
 * <p>When the protocol closes the connection, a close frame goes first: 1000 (normal closure), or
 * the code {@link #closeWith} set after an error. Close frames the client starts are answered by
 * Netty's protocol handler, before this one, and pings with pongs.
 */
final class WebSocketFrameAdapter extends ChannelDuplexHandler {

    /** A close reason is at most 123 bytes; these are kept well under it. */
    private static final int MAX_REASON = 100;
    /** How long a close waits for the close frame to be written. */
    private static final long CLOSE_FRAME_WAIT_MILLIS = 2000;

    private WebSocketCloseStatus status = WebSocketCloseStatus.NORMAL_CLOSURE;
    private boolean closeSent;

    /** Sets the code and reason of the close frame sent when the connection is closed. */
    void closeWith(WebSocketCloseStatus code, String reason) {
        String text = reason == null ? code.reasonText() : reason.replaceAll("[^\\x20-\\x7e]", "?");
        status = new WebSocketCloseStatus(code.code(), text.length() > MAX_REASON ? text.substring(0, MAX_REASON) : text);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof TextWebSocketFrame
                || msg instanceof ContinuationWebSocketFrame) {
            ByteBuf payload = ((io.netty.handler.codec.http.websocketx.WebSocketFrame) msg).content();
            if (payload.isReadable()) {
                ctx.fireChannelRead(payload);
            } else {
                payload.release();
            }
            return;
        }
        // Ping, pong and close frames are handled before this handler; nothing else is expected.
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            ctx.write(new BinaryWebSocketFrame(bytes), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (closeSent || !ctx.channel().isActive()) {
            ctx.close(promise);
            return;
        }
        closeSent = true;
        // Close once the frame is written, or after CLOSE_FRAME_WAIT_MILLIS if a peer that reads nothing
        // keeps it from being written. Both run on the channel's event loop.
        boolean[] closed = {false};
        Runnable closeOnce = () -> {
            if (!closed[0]) {
                closed[0] = true;
                ctx.close(promise);
            }
        };
        ScheduledFuture<?> timeout = ctx.executor().schedule(closeOnce, CLOSE_FRAME_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        ctx.writeAndFlush(new CloseWebSocketFrame(status)).addListener(written -> {
            timeout.cancel(false);
            closeOnce.run();
        });
    }
}
