package io.junction.mqtt;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;

import java.util.List;

/** Packets the broker writes that Netty's builders do not cover, and reads of packet fields. */
final class MqttPackets {

    private MqttPackets() {
    }

    /** An MQTT 5 DISCONNECT with a reason code and, unless null, a reason string. */
    static MqttMessage disconnect(byte reasonCode, String reasonString) {
        MqttProperties props = new MqttProperties();
        if (reasonString != null) {
            props.add(new StringProperty(MqttProperties.REASON_STRING, reasonString));
        }
        return MqttMessageBuilders.disconnect().reasonCode(reasonCode).properties(props).build();
    }

    /**
     * PUBACK, PUBREC, PUBREL or PUBCOMP; with a reason code and optional reason string for MQTT 5.
     * PUBREL has the fixed-header flags 0010 [MQTT-3.6.1-1].
     */
    static MqttMessage pubReply(boolean mqtt5, MqttMessageType type, int packetId, byte reason, String reasonString) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        MqttFixedHeader fixed = new MqttFixedHeader(type, false, qos, false, 0);
        if (!mqtt5) {
            return new MqttMessage(fixed, MqttMessageIdVariableHeader.from(packetId));
        }
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (reasonString != null) {
            props = new MqttProperties();
            props.add(new StringProperty(MqttProperties.REASON_STRING, reasonString));
        }
        return new MqttMessage(fixed, new MqttPubReplyMessageVariableHeader(packetId, reason, props));
    }

    static int packetId(MqttMessage packet) {
        return ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
    }

    /** The reason code of an MQTT 5 acknowledgement; 0 (success) when it has none. */
    static byte reasonCode(MqttMessage packet) {
        return packet.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply ? reply.reasonCode() : 0;
    }

    /** An integer property as unsigned, or the value given for its absence. */
    static long intProperty(MqttProperties props, int id, long absent) {
        MqttProperty<?> p = props.getProperty(id);
        return p == null ? absent : Integer.toUnsignedLong((Integer) p.value());
    }

    /** Close enough to a PUBLISH's encoded size to respect a client's maximum packet size. */
    static long estimatedPublishSize(String topic, MqttProperties props, int payload) {
        long size = 5 + 2 + ByteBufUtil.utf8Bytes(topic) + 2 + 4 + payload;
        for (MqttProperty<?> p : props.listAll()) {
            if (p.value() instanceof String s) {
                size += 3 + ByteBufUtil.utf8Bytes(s);
            } else if (p.value() instanceof byte[] b) {
                size += 3 + b.length;
            } else if (p.value() instanceof List<?> pairs) {
                for (Object o : pairs) {
                    MqttProperties.StringPair pair = (MqttProperties.StringPair) o;
                    size += 5 + ByteBufUtil.utf8Bytes(pair.key) + ByteBufUtil.utf8Bytes(pair.value);
                }
            } else {
                size += 5;
            }
        }
        return size;
    }
}
