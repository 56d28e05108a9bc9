package io.junction.core.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.ClosedChannelException;

/**
 * Sits behind the {@code SslHandler} of a TLS connection until the handshake ends. On success it
 * installs the protocol (or the protocol detector) in its place; on failure it logs one line and
 * closes the connection, so that a client speaking plain TCP, an old TLS version or without a
 * required certificate costs the broker nothing more.
 */
final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeHandler.class);

    private final String listener;
    private final Runnable install;
    private boolean installed;

    TlsHandshakeHandler(String listener, Runnable install) {
        this.listener = listener;
        this.install = install;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                installProtocol(ctx);
            } else if (done.cause() instanceof ClosedChannelException) {
                // Closed before the handshake ended: by the client, or by TlsRecordCheck, which
                // has logged why. Either way there is nothing more to say.
                log.debug("Connection {} on listener {} closed before its TLS handshake completed",
                        ctx.channel().remoteAddress(), listener);
                ctx.close();
            } else {
                log.warn("TLS handshake with {} on listener {} failed: {}", ctx.channel().remoteAddress(), listener,
                        reason(done.cause()));
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // The SslHandler passes application data only after the handshake; should it ever come
        // before the completion event, the protocol is installed first so that nothing is lost.
        installProtocol(ctx);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!installed) {
            // A handshake failure is logged once, from its completion event; anything else before
            // the protocol is there (a reset, say) only ends the connection.
            log.debug("Connection {} on listener {} closed before its TLS handshake completed", ctx.channel().remoteAddress(),
                    listener, cause);
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private static String reason(Throwable cause) {
        if (cause instanceof NotSslRecordException) {
            // Its message quotes the client's bytes in hex; the point is that they were not TLS.
            return "the client did not speak TLS (plain TCP?)";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private void installProtocol(ChannelHandlerContext ctx) {
        if (!installed) {
            installed = true;
            install.run();
            ctx.pipeline().remove(this);
        }
    }
}
