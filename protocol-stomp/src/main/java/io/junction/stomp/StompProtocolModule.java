package io.junction.stomp;

import io.junction.core.spi.ListenerLimits;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolModule;
import io.junction.core.spi.ProtocolSettings;
import io.junction.core.spi.Setting;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** STOMP 1.0, 1.1 and 1.2 (https://stomp.github.io/stomp-specification-1.2.html). */
public final class StompProtocolModule implements ProtocolModule {

    static final String DECODER = "stomp-decoder";
    static final String HEARTBEAT = "stomp-heartbeat";

    private static final byte[][] OPENINGS = {
            "CONNECT\n".getBytes(StandardCharsets.US_ASCII), "CONNECT\r\n".getBytes(StandardCharsets.US_ASCII),
            "STOMP\n".getBytes(StandardCharsets.US_ASCII), "STOMP\r\n".getBytes(StandardCharsets.US_ASCII)};

    /** Makes message ids unique across broker runs, since connection ids restart with the broker. */
    private final String messageIdPrefix = "ID-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + "-";

    @Override
    public String name() {
        return "stomp";
    }

    @Override
    public List<Setting<?>> settings() {
        return StompSettings.ALL;
    }

    @Override
    public Detection detect(ByteBuf prefix) {
        int start = prefix.readerIndex();
        // A client may send heart-beat EOLs before its first frame.
        while (start < prefix.writerIndex() && (prefix.getByte(start) == '\n' || prefix.getByte(start) == '\r')) {
            start++;
        }
        int available = prefix.writerIndex() - start;
        boolean couldStillMatch = false;
        for (byte[] opening : OPENINGS) {
            int n = Math.min(available, opening.length);
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = prefix.getByte(start + i) == opening[i];
            }
            if (same && n == opening.length) {
                return Detection.MATCH;
            }
            couldStillMatch |= same;
        }
        return couldStillMatch ? Detection.NEED_MORE : Detection.NO_MATCH;
    }

    @Override
    public void install(ChannelPipeline pipeline, ProtocolContext context) {
        ProtocolSettings settings = context.settings();
        StompFrameDecoder decoder = new StompFrameDecoder(settings.get(StompSettings.MAX_HEADER_LINE_LENGTH),
                settings.get(StompSettings.MAX_HEADERS));
        StompFrameEncoder encoder = new StompFrameEncoder();
        StompSession session = new StompSession(pipeline.channel(), context, decoder, encoder, messageIdPrefix);
        pipeline.addLast(DECODER, decoder);
        pipeline.addLast("stomp-aggregator", new StompFrameAggregator(
                ListenerLimits.of(pipeline.channel()).maxMessageSize()));
        pipeline.addLast("stomp-encoder", encoder);
        pipeline.addLast("stomp-handler",
                new StompConnectionHandler(session, settings.get(StompSettings.HEARTBEAT_GRACE_FACTOR),
                        settings.get(StompSettings.CONNECT_TIMEOUT)));
    }
}
