package io.junction.interop.mqtt.v5;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An MQTT 5 control packet as it came off the wire, decoded by type: the fields a test checks
 * (reason codes, properties, topic, payload) and the raw flags.
 */
public final class Packet {

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
    public static final int AUTH = 15;

    private static final String[] NAMES = {"RESERVED", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC",
        "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT",
        "AUTH"};

    public final int type;
    public final int flags;
    public final byte[] body;

    // decoded fields, by type
    public boolean sessionPresent;
    public int reasonCode;
    public int packetId;
    public Props props = Props.of();
    public List<Integer> reasonCodes = new ArrayList<>();
    public String topic;
    public byte[] payload;

    Packet(int type, int flags, byte[] body) {
        this.type = type;
        this.flags = flags;
        this.body = body;
        decode();
    }

    public static String name(int type) {
        return NAMES[type];
    }

    public int qos() {
        return (flags >> 1) & 3;
    }

    public boolean retain() {
        return (flags & 1) != 0;
    }

    public boolean dup() {
        return (flags & 8) != 0;
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    private void decode() {
        Reader in = new Reader(body);
        switch (type) {
            case CONNACK -> {
                sessionPresent = (in.u8() & 1) != 0;
                reasonCode = in.u8();
                if (in.remaining() > 0) {
                    props = Props.decode(in);
                }
            }
            case PUBLISH -> {
                topic = in.string();
                if (qos() > 0) {
                    packetId = in.u16();
                }
                props = Props.decode(in);
                payload = in.rest();
            }
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> {
                packetId = in.u16();
                // 3.4.2.1: reason code and properties may be omitted when 0x00 and none
                reasonCode = in.remaining() > 0 ? in.u8() : 0;
                if (in.remaining() > 0) {
                    props = Props.decode(in);
                }
            }
            case SUBACK, UNSUBACK -> {
                packetId = in.u16();
                props = Props.decode(in);
                while (in.remaining() > 0) {
                    reasonCodes.add(in.u8());
                }
            }
            case DISCONNECT, AUTH -> {
                reasonCode = in.remaining() > 0 ? in.u8() : 0;
                if (in.remaining() > 0) {
                    props = Props.decode(in);
                }
            }
            default -> {
                // PINGRESP and the client-to-server packets carry nothing a test reads here
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name(type));
        switch (type) {
            case CONNACK -> s.append(" sp=").append(sessionPresent).append(" rc=0x").append(Integer.toHexString(reasonCode));
            case PUBLISH -> s.append(" qos=").append(qos()).append(" retain=").append(retain()).append(" dup=")
                    .append(dup()).append(" id=").append(packetId).append(" topic=").append(topic)
                    .append(" payload=").append(payloadText());
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> s.append(" id=").append(packetId).append(" rc=0x")
                    .append(Integer.toHexString(reasonCode));
            case SUBACK, UNSUBACK -> s.append(" id=").append(packetId).append(" rcs=").append(reasonCodes);
            case DISCONNECT -> s.append(" rc=0x").append(Integer.toHexString(reasonCode));
            default -> { }
        }
        return s.append(' ').append(props).toString();
    }

    /** Big-endian reader over a packet body. */
    static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int position() {
            return position;
        }

        int remaining() {
            return bytes.length - position;
        }

        int u8() {
            return bytes[position++] & 0xff;
        }

        int u16() {
            return (u8() << 8) | u8();
        }

        long u32() {
            return ((long) u16() << 16) | u16();
        }

        int varInt() {
            int value = 0;
            int multiplier = 1;
            int b;
            do {
                b = u8();
                value += (b & 0x7f) * multiplier;
                multiplier *= 128;
            } while ((b & 0x80) != 0);
            return value;
        }

        byte[] binary() {
            int length = u16();
            byte[] out = java.util.Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return out;
        }

        String string() {
            return new String(binary(), StandardCharsets.UTF_8);
        }

        byte[] rest() {
            byte[] out = java.util.Arrays.copyOfRange(bytes, position, bytes.length);
            position = bytes.length;
            return out;
        }
    }
}
