package io.junction.interop.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An MQTT 3.1.1 control packet as read off the wire: the first byte and the bytes after the remaining length. */
public record MqttPacket(int firstByte, byte[] body) {

    public static final int CONNECT = 1;
    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int PUBREC = 5;
    public static final int PUBREL = 6;
    public static final int PUBCOMP = 7;
    public static final int SUBSCRIBE = 8;
    public static final int SUBACK = 9;
    public static final int UNSUBSCRIBE = 10;
    public static final int UNSUBACK = 11;
    public static final int PINGREQ = 12;
    public static final int PINGRESP = 13;
    public static final int DISCONNECT = 14;

    private static final String[] NAMES = {"RESERVED0", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL",
            "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "RESERVED15"};

    public int type() {
        return firstByte >> 4;
    }

    public int flags() {
        return firstByte & 0x0f;
    }

    public String typeName() {
        return NAMES[type()];
    }

    // ---- PUBLISH ----

    public boolean dup() {
        return (firstByte & 0x08) != 0;
    }

    public int qos() {
        return (firstByte >> 1) & 0x03;
    }

    public boolean retain() {
        return (firstByte & 0x01) != 0;
    }

    public String topic() {
        requireType(PUBLISH);
        int length = u16(0);
        return new String(body, 2, length, StandardCharsets.UTF_8);
    }

    public byte[] payload() {
        requireType(PUBLISH);
        int start = 2 + u16(0) + (qos() > 0 ? 2 : 0);
        return Arrays.copyOfRange(body, start, body.length);
    }

    public String payloadText() {
        return new String(payload(), StandardCharsets.UTF_8);
    }

    /** The packet identifier of a PUBLISH with QoS > 0, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK or UNSUBACK. */
    public int packetId() {
        if (type() == PUBLISH) {
            if (qos() == 0) {
                throw new AssertionError("a QoS 0 PUBLISH has no packet identifier");
            }
            return u16(2 + u16(0));
        }
        return u16(0);
    }

    // ---- CONNACK ----

    public boolean sessionPresent() {
        requireType(CONNACK);
        return (body[0] & 0x01) != 0;
    }

    public int returnCode() {
        requireType(CONNACK);
        return body[1] & 0xff;
    }

    // ---- SUBACK ----

    public List<Integer> grantedQos() {
        requireType(SUBACK);
        List<Integer> codes = new ArrayList<>();
        for (int i = 2; i < body.length; i++) {
            codes.add(body[i] & 0xff);
        }
        return codes;
    }

    private int u16(int at) {
        return ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff);
    }

    private void requireType(int expected) {
        if (type() != expected) {
            throw new AssertionError("expected " + NAMES[expected] + ", got " + this);
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(typeName()).append(" flags=").append(Integer.toBinaryString(flags()));
        if (type() == PUBLISH) {
            text.append(" topic=").append(topic()).append(" qos=").append(qos()).append(" dup=").append(dup())
                    .append(" retain=").append(retain());
            if (qos() > 0) {
                text.append(" id=").append(packetId());
            }
            text.append(" payload=").append(payloadText());
        } else if (type() == CONNACK && body.length == 2) {
            text.append(" sp=").append(sessionPresent()).append(" rc=").append(returnCode());
        } else {
            text.append(" body=").append(Arrays.toString(body));
        }
        return text.toString();
    }
}
