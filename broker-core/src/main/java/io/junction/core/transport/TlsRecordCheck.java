package io.junction.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of the {@code SslHandler}: every TLS 1.2 or 1.3 client opens with a handshake record
 * (content type 22), so a first byte other than that closes the connection at once. Without it
 * the {@code SslHandler} may take some plain-text openings (AMQP's {@code AMQP...}, say) for the
 * length of an old SSLv2 record and wait for the handshake timeout.
 */
final class TlsRecordCheck extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsRecordCheck.class);
    private static final byte HANDSHAKE = 22;

    private final String listener;

    TlsRecordCheck(String listener) {
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            if (bytes.getByte(bytes.readerIndex()) != HANDSHAKE) {
                log.warn("TLS handshake with {} on listener {} failed: the client did not speak TLS (plain TCP?)",
                        ctx.channel().remoteAddress(), listener);
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }
}
