package io.junction.stomp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.stomp.StompFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/** Feeds whole frames to the connection's {@link StompSession} and turns failures into ERROR frames. */
final class StompConnectionHandler extends SimpleChannelInboundHandler<StompFrame> {

    private static final Logger log = LoggerFactory.getLogger(StompConnectionHandler.class);

    private final StompSession session;
    private final long heartbeatGracePercent;
    private final Duration connectTimeout;
    private String closeReason = "client closed the connection";
    private final Queue<StompFrame> heldDuringLogin = new ArrayDeque<>(2);

    StompConnectionHandler(StompSession session, long heartbeatGracePercent, Duration connectTimeout) {
        this.session = session;
        this.heartbeatGracePercent = heartbeatGracePercent;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // A connection that never says CONNECT would otherwise hold its socket forever.
        long timeout = connectTimeout.toMillis();
        ctx.executor().schedule(() -> {
            if (!session.isConnected() && !session.isLoggingIn() && ctx.channel().isActive()) {
                closeReason = "no CONNECT frame in time";
                session.fail(new StompProtocolException("no CONNECT frame within " + timeout + " ms; closing"));
            }
        }, timeout, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, StompFrame frame) {
        if (session.isLoggingIn()) {
            // Read with CONNECT, before reading stopped: handled in order once the client is logged in.
            heldDuringLogin.add(frame.retain());
            return;
        }
        handle(frame);
    }

    private void handle(StompFrame frame) {
        try {
            session.onFrame(frame);
        } catch (StompProtocolException e) {
            closeReason = "protocol error: " + e.getMessage();
            session.fail(e);
        }
    }

    /** The frames that came behind CONNECT, now that the client is logged in. */
    private void handleHeldFrames() {
        for (StompFrame frame; (frame = heldDuringLogin.poll()) != null; ) {
            try {
                handle(frame);
            } finally {
                frame.release();
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == StompSession.LOGGED_IN) {
            handleHeldFrames();
            return;
        }
        if (event instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE && !ctx.channel().config().isAutoRead()) {
                // We stopped reading (back-pressure), so the client's heart-beats wait unread.
                return;
            }
            if (idle.state() == IdleState.READER_IDLE) {
                closeReason = "no heart-beat from the client";
                session.fail(new StompProtocolException("no frame or heart-beat received within the negotiated interval"
                        + " plus " + (heartbeatGracePercent - 100) + "% grace; closing"));
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                session.writeHeartbeat();
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof StompProtocolException e) {
            closeReason = "protocol error: " + e.getMessage();
            session.fail(e);
        } else if (cause instanceof IOException) {
            closeReason = "connection error: " + cause.getMessage();
            ctx.close();
        } else {
            log.error("Unexpected error on STOMP connection {}", ctx.channel().remoteAddress(), cause);
            closeReason = "internal error: " + cause;
            session.fail(new StompProtocolException("internal error: " + cause.getClass().getSimpleName()));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        heldDuringLogin.forEach(StompFrame::release);
        heldDuringLogin.clear();
        session.closed(closeReason);
    }
}
