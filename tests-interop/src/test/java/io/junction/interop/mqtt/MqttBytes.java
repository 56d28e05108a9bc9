package io.junction.interop.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-built MQTT 3.1/3.1.1 packets, byte for byte, including ones a client library refuses to
 * produce. Every builder returns the whole packet: first byte, remaining length, rest.
 */
public final class MqttBytes {

    private MqttBytes() {
    }

    /** A packet from its first byte and the bytes after the remaining length. */
    public static byte[] packet(int firstByte, byte[] rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        writeRemainingLength(out, rest.length);
        out.writeBytes(rest);
        return out.toByteArray();
    }

    public static void writeRemainingLength(ByteArrayOutputStream out, int length) {
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
    }

    /** A length-prefixed UTF-8 string. */
    public static byte[] utf8(String text) {
        return lengthPrefixed(text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] lengthPrefixed(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xff);
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static byte[] u16(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    /** A CONNECT packet; build one with {@link #connect(String)} and the {@link Connect} setters. */
    public static Connect connect(String clientId) {
        return new Connect(clientId);
    }

    public static final class Connect {
        private String protocolName = "MQTT";
        private int level = 4;
        private String clientId;
        private boolean cleanSession = true;
        private int keepAlive = 60;
        private String willTopic;
        private byte[] willPayload;
        private int willQos;
        private boolean willRetain;
        private String username;
        private byte[] password;
        private int extraFlags;

        private Connect(String clientId) {
            this.clientId = clientId;
        }

        /** MQTT 3.1: protocol name MQIsdp, level 3. */
        public Connect v31() {
            protocolName = "MQIsdp";
            level = 3;
            return this;
        }

        public Connect protocol(String name, int protocolLevel) {
            protocolName = name;
            level = protocolLevel;
            return this;
        }

        public Connect cleanSession(boolean clean) {
            cleanSession = clean;
            return this;
        }

        public Connect keepAlive(int seconds) {
            keepAlive = seconds;
            return this;
        }

        public Connect will(String topic, String payload, int qos, boolean retain) {
            willTopic = topic;
            willPayload = payload.getBytes(StandardCharsets.UTF_8);
            willQos = qos;
            willRetain = retain;
            return this;
        }

        public Connect username(String name) {
            username = name;
            return this;
        }

        public Connect password(String secret) {
            password = secret.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Bits OR-ed into the connect flags as they are, e.g. the reserved bit 0x01. */
        public Connect extraFlags(int bits) {
            extraFlags = bits;
            return this;
        }

        public byte[] bytes() {
            int flags = extraFlags;
            if (cleanSession) {
                flags |= 0x02;
            }
            if (willTopic != null) {
                flags |= 0x04 | (willQos << 3) | (willRetain ? 0x20 : 0);
            }
            if (password != null) {
                flags |= 0x40;
            }
            if (username != null) {
                flags |= 0x80;
            }
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            rest.writeBytes(utf8(protocolName));
            rest.write(level);
            rest.write(flags);
            rest.writeBytes(u16(keepAlive));
            rest.writeBytes(utf8(clientId));
            if (willTopic != null) {
                rest.writeBytes(utf8(willTopic));
                rest.writeBytes(lengthPrefixed(willPayload));
            }
            if (username != null) {
                rest.writeBytes(utf8(username));
            }
            if (password != null) {
                rest.writeBytes(lengthPrefixed(password));
            }
            return packet(0x10, rest.toByteArray());
        }
    }

    public static byte[] publish(String topic, int qos, boolean retain, int packetId, String payload) {
        return publish(topic.getBytes(StandardCharsets.UTF_8), qos, retain, false, packetId,
                payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A PUBLISH with the topic given as raw bytes (which may be invalid UTF-8). */
    public static byte[] publish(byte[] topic, int qos, boolean retain, boolean dup, int packetId, byte[] payload) {
        int first = 0x30 | (qos << 1) | (retain ? 1 : 0) | (dup ? 0x08 : 0);
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.writeBytes(lengthPrefixed(topic));
        if (qos > 0) {
            rest.writeBytes(u16(packetId));
        }
        rest.writeBytes(payload);
        return packet(first, rest.toByteArray());
    }

    /** SUBSCRIBE with one requested QoS per filter: {@code subscribe(1, "a/b", 1, "c/#", 2)}. */
    public static byte[] subscribe(int packetId, Object... filtersAndQos) {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.writeBytes(u16(packetId));
        for (int i = 0; i < filtersAndQos.length; i += 2) {
            rest.writeBytes(utf8((String) filtersAndQos[i]));
            rest.write((Integer) filtersAndQos[i + 1]);
        }
        return packet(0x82, rest.toByteArray());
    }

    public static byte[] unsubscribe(int packetId, String... filters) {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.writeBytes(u16(packetId));
        for (String filter : filters) {
            rest.writeBytes(utf8(filter));
        }
        return packet(0xa2, rest.toByteArray());
    }

    public static byte[] puback(int packetId) {
        return packet(0x40, u16(packetId));
    }

    public static byte[] pubrec(int packetId) {
        return packet(0x50, u16(packetId));
    }

    public static byte[] pubrel(int packetId) {
        return packet(0x62, u16(packetId));
    }

    public static byte[] pubcomp(int packetId) {
        return packet(0x70, u16(packetId));
    }

    public static byte[] pingreq() {
        return new byte[] {(byte) 0xc0, 0};
    }

    public static byte[] disconnect() {
        return new byte[] {(byte) 0xe0, 0};
    }
}
