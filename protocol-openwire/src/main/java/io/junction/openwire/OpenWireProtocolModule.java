package io.junction.openwire;

import io.junction.core.model.Message;
import io.junction.core.spi.ListenerLimits;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolModule;
import io.junction.core.spi.Setting;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * OpenWire, the ActiveMQ JMS client's protocol. activemq-client's {@code OpenWireFormat} marshals
 * the commands; what each command does is the broker's, on top of broker-core.
 */
public final class OpenWireProtocolModule implements ProtocolModule {

    private static final byte WIREFORMAT_INFO = 1;
    private static final byte[] MAGIC = "ActiveMQ".getBytes(StandardCharsets.US_ASCII);

    private volatile OpenWireModuleState shared;
    /** Made before the broker recovers, so that the recovered messages' ids are in it. */
    private final ProducerAudit audit = new ProducerAudit();

    @Override
    public String name() {
        return "openwire";
    }

    @Override
    public List<Setting<?>> settings() {
        return OpenWireSettings.ALL;
    }

    /**
     * The client's first command: a size prefix, the WireFormatInfo type, then the magic
     * "ActiveMQ".
     */
    @Override
    public Detection detect(ByteBuf prefix) {
        int start = prefix.readerIndex();
        int available = prefix.readableBytes();
        if (available < 5) {
            return Detection.NEED_MORE;
        }
        if (prefix.getByte(start + 4) != WIREFORMAT_INFO) {
            return Detection.NO_MATCH;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (available < 5 + i + 1) {
                return Detection.NEED_MORE;
            }
            if (prefix.getByte(start + 5 + i) != MAGIC[i]) {
                return Detection.NO_MATCH;
            }
        }
        return Detection.MATCH;
    }

    /** A recovered message an OpenWire client sent: a resend of it after the restart is a duplicate. */
    @Override
    public void recovered(Message message) {
        audit.recordStored(message.messageId());
    }

    @Override
    public void start(ProtocolContext context) {
        shared = new OpenWireModuleState(context, audit);
    }

    @Override
    public void install(ChannelPipeline pipeline, ProtocolContext context) {
        // The listener's maxMessageSize bounds a command without its 4-byte size prefix, as the client's
        // own check of the MaxFrameSize the broker announces does.
        int maxFrameSize = ListenerLimits.of(pipeline.channel()).maxMessageSize();
        long maxInactivity = context.settings().get(OpenWireSettings.MAX_INACTIVITY_DURATION).toMillis();
        pipeline.addLast("openwire-frames", new LengthFieldBasedFrameDecoder(maxFrameSize + 4, 0, 4, 0, 0));
        pipeline.addLast("openwire", new OpenWireConnection(shared, maxFrameSize, maxInactivity));
    }
}
