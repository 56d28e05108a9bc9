package io.junction.stomp;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.stomp.DefaultStompFrame;
import io.netty.handler.codec.stomp.LastStompContentSubframe;
import io.netty.handler.codec.stomp.StompContentSubframe;
import io.netty.handler.codec.stomp.StompHeaders;
import io.netty.handler.codec.stomp.StompHeadersSubframe;
import io.netty.util.ReferenceCountUtil;

/**
 * Joins the decoder's subframes into whole frames, enforcing the listener's maxMessageSize on each
 * body: a declared content-length over it is refused before any of the body is read, and a body
 * without one as soon as what has arrived passes it, so nothing past the limit is kept. Netty's own
 * aggregator is not used because it turns a header decoding failure into a frame with empty
 * headers and a success result; here every failure reaches the handler as a
 * {@link StompProtocolException}.
 */
final class StompFrameAggregator extends ChannelInboundHandlerAdapter {

    private final long maxBodySize;
    private StompHeadersSubframe headers;
    private CompositeByteBuf content;
    private boolean failed;

    /** @param maxBodySize the largest body a frame may have: the listener's maxMessageSize */
    StompFrameAggregator(long maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof StompHeadersSubframe subframe) {
            onHeaders(ctx, subframe);
        } else if (msg instanceof StompContentSubframe subframe) {
            try {
                onContent(ctx, subframe);
            } finally {
                subframe.release();
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void onHeaders(ChannelHandlerContext ctx, StompHeadersSubframe subframe) {
        DecoderResult result = subframe.decoderResult();
        if (result.isFailure()) {
            fail(ctx, "malformed frame: " + describe(result.cause()));
            return;
        }
        String length = subframe.headers().getAsString(StompHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                fail(ctx, "content-length '" + length + "' is not a number");
                return;
            }
            if (declared > maxBodySize) {
                fail(ctx, "message body of " + declared + " bytes exceeds the maximum message size of " + maxBodySize
                        + " bytes");
                return;
            }
        }
        headers = subframe;
        content = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
    }

    private void onContent(ChannelHandlerContext ctx, StompContentSubframe subframe) {
        if (subframe.decoderResult().isFailure()) {
            fail(ctx, "malformed frame: " + describe(subframe.decoderResult().cause()));
            return;
        }
        if (headers == null) {
            return;
        }
        if (content.readableBytes() + (long) subframe.content().readableBytes() > maxBodySize) {
            fail(ctx, "message body exceeds the maximum message size of " + maxBodySize + " bytes");
            return;
        }
        content.addComponent(true, subframe.content().retain());
        if (subframe instanceof LastStompContentSubframe) {
            DefaultStompFrame frame = new DefaultStompFrame(headers.command(), content);
            frame.headers().set(headers.headers());
            headers = null;
            content = null;
            ctx.fireChannelRead(frame);
        }
    }

    private void fail(ChannelHandlerContext ctx, String message) {
        failed = true;
        releaseContent();
        ctx.fireExceptionCaught(new StompProtocolException(message));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseContent();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseContent();
        ctx.fireChannelInactive();
    }

    private void releaseContent() {
        if (content != null) {
            content.release();
            content = null;
        }
        headers = null;
    }

    private static String describe(Throwable cause) {
        String text = cause.getMessage();
        return text == null ? cause.getClass().getSimpleName() : text;
    }
}
