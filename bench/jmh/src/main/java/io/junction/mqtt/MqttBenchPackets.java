package io.junction.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;

/** MQTT packets as a client sends them, and the module's inbound pipeline past its CONNECT. */
public final class MqttBenchPackets {

    /** The module's limit when the listener sets none larger (MqttProtocolModule's MAX_REMAINING_LENGTH). */
    private static final int MAX_PACKET_SIZE = 268_435_455;
    private static final int MAX_CLIENT_ID_LENGTH = 256;

    private MqttBenchPackets() {
    }

    /**
     * {@link MqttFraming} and Netty's decoder, as {@code MqttProtocolModule.install} adds them, after
     * a CONNECT of the given version (which the decoder remembers for the packets that follow).
     */
    public static EmbeddedChannel decodingChannel(MqttVersion version) {
        EmbeddedChannel channel = new EmbeddedChannel(new MqttFraming(MAX_PACKET_SIZE),
                new MqttDecoder(MAX_PACKET_SIZE, MAX_CLIENT_ID_LENGTH));
        MqttConnectMessage connect = MqttMessageBuilders.connect().clientId("bench").protocolVersion(version)
                .cleanSession(true).keepAlive(60).build();
        channel.writeInbound(encode(connect, version));
        MqttMessage decoded = channel.readInbound();
        if (!(decoded instanceof MqttConnectMessage) || !decoded.decoderResult().isSuccess()) {
            throw new IllegalStateException("CONNECT not decoded: " + decoded);
        }
        return channel;
    }

    public static EmbeddedChannel decodingChannel() {
        return decodingChannel(MqttVersion.MQTT_3_1_1);
    }

    /** The bytes of a PUBLISH of the given version, as Netty's encoder writes them. */
    public static ByteBuf publishBytes(String topic, MqttQoS qos, byte[] payload, MqttProperties properties,
                                       MqttVersion version) {
        MqttPublishMessage publish = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
                new MqttPublishVariableHeader(topic, qos == MqttQoS.AT_MOST_ONCE ? -1 : 42, properties),
                Unpooled.wrappedBuffer(payload));
        return encode(publish, version);
    }

    public static ByteBuf publishBytes(String topic, MqttQoS qos, byte[] payload, MqttProperties properties) {
        return publishBytes(topic, qos, payload, properties, MqttVersion.MQTT_3_1_1);
    }

    private static ByteBuf encode(MqttMessage packet, MqttVersion version) {
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        // The encoder writes MQTT 5 fields only when the channel says the connection is MQTT 5.
        channel.attr(io.netty.util.AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(version);
        channel.writeOutbound(packet);
        ByteBuf bytes = Unpooled.buffer();
        for (Object part = channel.readOutbound(); part != null; part = channel.readOutbound()) {
            bytes.writeBytes((ByteBuf) part);
            ReferenceCountUtil.release(part);
        }
        channel.finishAndReleaseAll();
        return bytes;
    }
}
