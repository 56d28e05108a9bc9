package io.junction.amqp;

import io.junction.core.spi.ListenerLimits;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolModule;
import io.junction.core.spi.Setting;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;

import java.util.List;

/**
 * AMQP 1.0 on qpid-proton-j's engine, driven from Netty's buffers. AMQP addresses are the broker's
 * queues and topics by the design's mapping; queueing and routing are the broker's.
 */
public final class AmqpProtocolModule implements ProtocolModule {

    private static final byte[] HEADER = {'A', 'M', 'Q', 'P'};

    @Override
    public String name() {
        return "amqp";
    }

    @Override
    public List<Setting<?>> settings() {
        return AmqpSettings.ALL;
    }

    /** The protocol header: "AMQP", then protocol id 0 (AMQP) or 3 (SASL), then version 1.0.0. */
    @Override
    public Detection detect(ByteBuf prefix) {
        int start = prefix.readerIndex();
        int available = prefix.readableBytes();
        for (int i = 0; i < Math.min(available, HEADER.length); i++) {
            if (prefix.getByte(start + i) != HEADER[i]) {
                return Detection.NO_MATCH;
            }
        }
        if (available < 5) {
            return Detection.NEED_MORE;
        }
        byte protocolId = prefix.getByte(start + 4);
        return protocolId == 0 || protocolId == 3 ? Detection.MATCH : Detection.NO_MATCH;
    }

    @Override
    public void install(ChannelPipeline pipeline, ProtocolContext context) {
        pipeline.addLast("amqp", new AmqpConnection(context, AmqpConfig.of(context.settings()),
                ListenerLimits.of(pipeline.channel()).maxMessageSize()));
    }
}
