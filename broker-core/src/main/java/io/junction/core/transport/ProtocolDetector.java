package io.junction.core.transport;

import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolModule;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * On a listener that serves several protocols, waits for the first bytes of a connection, asks
 * each protocol whether they are its handshake, installs the one that says yes and removes
 * itself, handing it the bytes read so far.
 */
final class ProtocolDetector extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(ProtocolDetector.class);
    /** No protocol we serve needs more than this many bytes to be recognised. */
    private static final int MAX_PREFIX = 64;

    private final Map<ProtocolModule, ProtocolContext> protocols;
    /** What the transport adds after the protocol's handlers once it is installed. */
    private final Consumer<ChannelPipeline> afterInstall;

    ProtocolDetector(Map<ProtocolModule, ProtocolContext> protocols) {
        this(protocols, pipeline -> { });
    }

    ProtocolDetector(Map<ProtocolModule, ProtocolContext> protocols, Consumer<ChannelPipeline> afterInstall) {
        this.protocols = protocols;
        this.afterInstall = afterInstall;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        boolean undecided = false;
        for (Map.Entry<ProtocolModule, ProtocolContext> entry : protocols.entrySet()) {
            ProtocolModule.Detection detection = entry.getKey().detect(in);
            if (detection == ProtocolModule.Detection.MATCH) {
                entry.getKey().install(ctx.pipeline(), entry.getValue());
                afterInstall.accept(ctx.pipeline());
                ctx.pipeline().remove(this);
                return;
            }
            undecided |= detection == ProtocolModule.Detection.NEED_MORE;
        }
        if (!undecided || in.readableBytes() >= MAX_PREFIX) {
            log.warn("Closing connection from {}: its first bytes match none of the protocols {} served here",
                    ctx.channel().remoteAddress(), protocols.keySet().stream().map(ProtocolModule::name).toList());
            in.skipBytes(in.readableBytes());
            ctx.close();
        }
    }
}
