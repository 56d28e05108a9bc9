package io.junction.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MqttFramingTest {

    private static ByteBuf bytes(int... values) {
        ByteBuf buf = Unpooled.buffer(values.length);
        for (int v : values) {
            buf.writeByte(v);
        }
        return buf;
    }

    private static List<Object> drain(EmbeddedChannel channel) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    @Test
    void wholePacketsPassTogetherAndPartOfOneWaits() {
        EmbeddedChannel channel = new EmbeddedChannel(new MqttFraming(1024));
        // An (empty) CONNECT, PINGREQ, then the first byte of a PUBLISH whose length is still missing.
        channel.writeInbound(bytes(0x10, 0x00, 0xC0, 0x00, 0x30));
        List<Object> out = drain(channel);
        assertThat(out).hasSize(1);
        ByteBuf passed = (ByteBuf) out.get(0);
        assertThat(passed.readableBytes()).isEqualTo(4);
        passed.release();

        channel.writeInbound(bytes(0x03, 0x00, 0x01, 'a'));
        ByteBuf rest = channel.readInbound();
        assertThat(rest.readableBytes()).isEqualTo(5);
        rest.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void subscribeWithReservedOptionBitsBecomesAFailedPacket() {
        EmbeddedChannel channel = new EmbeddedChannel(new MqttFraming(1024));
        channel.attr(io.netty.util.AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION"))
                .set(io.netty.handler.codec.mqtt.MqttVersion.MQTT_3_1_1);
        // A CONNECT, then SUBSCRIBE id 1, filter "a", options 0x04 (a reserved bit in 3.1.1).
        channel.writeInbound(bytes(0x10, 0x00, 0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x04));
        ByteBuf connect = channel.readInbound();
        assertThat(connect.readableBytes()).isEqualTo(2);
        connect.release();
        MqttMessage failed = channel.readInbound();
        assertThat(failed.decoderResult().isFailure()).isTrue();
        assertThat(failed.decoderResult().cause()).hasMessageContaining("reserved bits");
        channel.finishAndReleaseAll();
    }

    @Test
    void firstPacketOtherThanConnectFailsAtOnce() {
        EmbeddedChannel channel = new EmbeddedChannel(new MqttFraming(1024));
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", java.nio.charset.StandardCharsets.US_ASCII));
        MqttMessage failed = channel.readInbound();
        assertThat(failed.decoderResult().cause()).hasMessageContaining("not CONNECT");
        channel.finishAndReleaseAll();
    }
}
