package io.junction.stomp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.stomp.DefaultStompFrame;
import io.netty.handler.codec.stomp.StompCommand;
import io.netty.handler.codec.stomp.StompFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The frame encoder and aggregator, without sockets (STOMP 1.2 "Augmented BNF" and "Value Encoding"). */
class StompCodecTest {

    private static String encode(StompVersion version, StompFrame frame) {
        StompFrameEncoder encoder = new StompFrameEncoder();
        encoder.version(version);
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        channel.writeOutbound(frame);
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        channel.finishAndReleaseAll();
        return out.toString();
    }

    private static StompFrame message(String value) {
        DefaultStompFrame frame = new DefaultStompFrame(StompCommand.MESSAGE,
                Unpooled.copiedBuffer("a\0b", StandardCharsets.UTF_8));
        frame.headers().set("custom", value);
        return frame;
    }

    @Test
    void version12EscapesBackslashNewlineColonAndCarriageReturn() {
        assertThat(encode(StompVersion.V1_2, message("a:b\\c\nd\re")))
                .isEqualTo("MESSAGE\ncustom:a\\cb\\\\c\\nd\\re\n\na\0b\0");
    }

    @Test
    void version11HasNoCarriageReturnEscape() {
        assertThat(encode(StompVersion.V1_1, message("x\ry:z"))).contains("custom:x y\\cz\n");
    }

    @Test
    void version10WritesValuesAsTheyAreExceptLineBreaks() {
        assertThat(encode(StompVersion.V1_0, message("a:b\\c\nd"))).contains("custom:a:b\\c d\n");
    }

    @Test
    void connectedFrameIsNeverEscaped() {
        DefaultStompFrame connected = new DefaultStompFrame(StompCommand.CONNECTED);
        connected.headers().set("server", "Junction/1:2");
        assertThat(encode(StompVersion.V1_2, connected)).isEqualTo("CONNECTED\nserver:Junction/1:2\n\n\0");
    }

    @Test
    void nonAsciiHeaderValuesAreUtf8() {
        assertThat(encode(StompVersion.V1_2, message("grüße 😀"))).contains("custom:grüße 😀\n");
    }

    private static EmbeddedChannel decoding(long maxFrameSize) {
        StompFrameDecoder decoder = new StompFrameDecoder(1024, 16);
        decoder.version(StompVersion.V1_2);
        return new EmbeddedChannel(decoder, new StompFrameAggregator(maxFrameSize));
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void aggregatesBodyWithNulBytesByContentLength() {
        EmbeddedChannel channel = decoding(1024);
        channel.writeInbound(bytes("SEND\ndestination:/queue/a\ncontent-length:5\n\nab\0cd\0"));
        StompFrame frame = channel.readInbound();
        assertThat(frame.command()).isEqualTo(StompCommand.SEND);
        assertThat(frame.content().toString(StandardCharsets.UTF_8)).isEqualTo("ab\0cd");
        frame.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void aggregatesBodyArrivingInPieces() {
        EmbeddedChannel channel = decoding(1024);
        channel.writeInbound(bytes("SEND\r\ndestination:/queue/a\r\n\r\nhel"));
        channel.writeInbound(bytes("lo"));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(bytes(" world\0"));
        StompFrame frame = channel.readInbound();
        assertThat(frame.content().toString(StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(frame.headers().getAsString("destination")).isEqualTo("/queue/a");
        frame.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void declaredContentLengthOverTheLimitFailsBeforeTheBodyArrives() {
        EmbeddedChannel channel = decoding(1024);
        Throwable error = captureError(channel, "SEND\ndestination:/queue/a\ncontent-length:5000\n\n");
        assertThat(error).isInstanceOf(StompProtocolException.class)
                .hasMessageContaining("5000 bytes exceeds the maximum message size of 1024");
    }

    @Test
    void bodyWithoutContentLengthOverTheLimitFails() {
        EmbeddedChannel channel = decoding(1024);
        Throwable error = captureError(channel, "SEND\ndestination:/queue/a\n\n" + "x".repeat(3000));
        assertThat(error).isInstanceOf(StompProtocolException.class).hasMessageContaining("maximum message size");
    }

    @Test
    void unknownCommandIsNamed() {
        Throwable error = captureError(decoding(1024), "HELLO\n\n\0");
        assertThat(error).hasMessageContaining("unknown command 'HELLO'");
    }

    @Test
    void invalidEscapeIsReported() {
        Throwable error = captureError(decoding(1024), "SEND\ndestination:/queue/a\\t\n\n\0");
        assertThat(error).isInstanceOf(StompProtocolException.class).hasMessageContaining("escape");
    }

    @Test
    void tooManyHeadersIsReported() {
        StringBuilder frame = new StringBuilder("SEND\n");
        for (int i = 0; i < 20; i++) {
            frame.append("h").append(i).append(":v\n");
        }
        Throwable error = captureError(decoding(1024), frame.append("\n\0").toString());
        assertThat(error).hasMessageContaining("maximum number of headers");
    }

    private static Throwable captureError(EmbeddedChannel channel, String input) {
        ErrorCapture capture = new ErrorCapture();
        channel.pipeline().addLast(capture);
        channel.writeInbound(bytes(input));
        channel.finishAndReleaseAll();
        assertThat(capture.error).as("an error reached the handler").isNotNull();
        return capture.error;
    }

    private static final class ErrorCapture extends io.netty.channel.ChannelInboundHandlerAdapter {
        Throwable error;

        @Override
        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
            if (error == null) {
                error = cause;
            }
        }
    }
}
