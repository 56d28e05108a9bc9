package io.junction.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

class WebSocketFrameAdapterTest {

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    @Test
    void dataFramesOfEveryKindBecomeTheirPayloadAndBuffersGoOutAsBinaryFrames() {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocketFrameAdapter());
        channel.writeInbound(new TextWebSocketFrame(false, 0, bytes("ab")));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, bytes("cd")));
        channel.writeInbound(new BinaryWebSocketFrame(bytes("ef")));
        StringBuilder read = new StringBuilder();
        for (ByteBuf in; (in = channel.readInbound()) != null; in.release()) {
            read.append(in.toString(StandardCharsets.UTF_8));
        }
        assertThat(read.toString()).isEqualTo("abcdef");

        channel.writeOutbound(bytes("out"));
        BinaryWebSocketFrame out = channel.readOutbound();
        assertThat(out.content().toString(StandardCharsets.UTF_8)).isEqualTo("out");
        out.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void protocolCloseSendsNormalClosureFirst() {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocketFrameAdapter());
        channel.close();
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1000);
        close.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void undecodableInputClosesWithProtocolError() {
        WebSocketFrameAdapter adapter = new WebSocketFrameAdapter();
        ByteToMessageDecoder failing = new ByteToMessageDecoder() {
            @Override
            protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
                in.skipBytes(in.readableBytes());
                throw new CorruptedFrameException("bad length");
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel(adapter, failing, new WebSocketErrorCloser(adapter));
        channel.writeInbound(new BinaryWebSocketFrame(bytes("garbage")));
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1002);
        assertThat(close.reasonText()).isEqualTo("bad length");
        close.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void otherUnhandledErrorsCloseWithInternalError() {
        WebSocketFrameAdapter adapter = new WebSocketFrameAdapter();
        ChannelInboundHandlerAdapter failing = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
                throw new IllegalStateException("bug");
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel(adapter, failing, new WebSocketErrorCloser(adapter));
        channel.writeInbound(new BinaryWebSocketFrame(bytes("x")));
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1011);
        close.release();
    }
}
