package io.junction.stomp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.stomp.StompCommand;
import io.netty.handler.codec.stomp.StompFrame;

import java.util.List;
import java.util.Map;

/**
 * Writes server frames with the header escaping of the negotiated version (STOMP 1.2 section
 * "Value Encoding"): none in 1.0, and none on CONNECTED in any version. The body is passed on
 * without copying.
 */
final class StompFrameEncoder extends MessageToMessageEncoder<StompFrame> {

    private static final ByteBuf NUL = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {0}).asReadOnly());

    private volatile StompVersion version = StompVersion.V1_2;

    StompFrameEncoder() {
        super(StompFrame.class);
    }

    void version(StompVersion version) {
        this.version = version;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, StompFrame frame, List<Object> out) {
        ByteBuf head = ctx.alloc().buffer(256);
        ByteBufUtil.writeUtf8(head, frame.command().name());
        head.writeByte('\n');
        boolean escape = version.escapesHeaders() && frame.command() != StompCommand.CONNECTED;
        for (Map.Entry<CharSequence, CharSequence> header : frame.headers()) {
            writeHeaderText(head, header.getKey(), escape);
            head.writeByte(':');
            writeHeaderText(head, header.getValue(), escape);
            head.writeByte('\n');
        }
        head.writeByte('\n');
        out.add(head);
        if (frame.content().isReadable()) {
            out.add(frame.content().retain());
        }
        out.add(NUL.duplicate());
    }

    private void writeHeaderText(ByteBuf out, CharSequence text, boolean escape) {
        if (!escape) {
            // 1.0 has no escapes; a line break would end the header, so it becomes a space.
            ByteBufUtil.writeUtf8(out, text.toString().replace('\n', ' ').replace('\r', ' '));
            return;
        }
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            String replacement = switch (text.charAt(i)) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case ':' -> "\\c";
                case '\r' -> version == StompVersion.V1_2 ? "\\r" : " ";
                default -> null;
            };
            if (replacement != null) {
                ByteBufUtil.writeUtf8(out, text.subSequence(start, i));
                ByteBufUtil.writeUtf8(out, replacement);
                start = i + 1;
            }
        }
        ByteBufUtil.writeUtf8(out, text.subSequence(start, text.length()));
    }
}
