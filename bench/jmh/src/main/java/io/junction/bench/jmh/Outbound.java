package io.junction.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/** What an encoder wrote into an {@link EmbeddedChannel}. */
public final class Outbound {

    private Outbound() {
    }

    /** Releases the buffers written; their total size, so that the encoding is not dead code. */
    public static int drain(EmbeddedChannel channel) {
        int bytes = 0;
        for (Object part = channel.readOutbound(); part != null; part = channel.readOutbound()) {
            bytes += ((ByteBuf) part).readableBytes();
            ReferenceCountUtil.release(part);
        }
        return bytes;
    }
}
