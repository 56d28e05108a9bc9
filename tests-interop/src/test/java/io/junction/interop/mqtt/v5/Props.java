package io.junction.interop.mqtt.v5;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MQTT 5 properties (section 2.2.2) in wire order, with an encoder and a decoder of our own so
 * that the raw client can send and check exactly what the specification describes.
 */
public final class Props {

    public static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
    public static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
    public static final int CONTENT_TYPE = 0x03;
    public static final int RESPONSE_TOPIC = 0x08;
    public static final int CORRELATION_DATA = 0x09;
    public static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    public static final int SESSION_EXPIRY_INTERVAL = 0x11;
    public static final int ASSIGNED_CLIENT_IDENTIFIER = 0x12;
    public static final int SERVER_KEEP_ALIVE = 0x13;
    public static final int AUTHENTICATION_METHOD = 0x15;
    public static final int AUTHENTICATION_DATA = 0x16;
    public static final int REQUEST_PROBLEM_INFORMATION = 0x17;
    public static final int WILL_DELAY_INTERVAL = 0x18;
    public static final int REQUEST_RESPONSE_INFORMATION = 0x19;
    public static final int RESPONSE_INFORMATION = 0x1A;
    public static final int SERVER_REFERENCE = 0x1C;
    public static final int REASON_STRING = 0x1F;
    public static final int RECEIVE_MAXIMUM = 0x21;
    public static final int TOPIC_ALIAS_MAXIMUM = 0x22;
    public static final int TOPIC_ALIAS = 0x23;
    public static final int MAXIMUM_QOS = 0x24;
    public static final int RETAIN_AVAILABLE = 0x25;
    public static final int USER_PROPERTY = 0x26;
    public static final int MAXIMUM_PACKET_SIZE = 0x27;
    public static final int WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28;
    public static final int SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29;
    public static final int SHARED_SUBSCRIPTION_AVAILABLE = 0x2A;

    private enum Kind { BYTE, TWO, FOUR, VARINT, STRING, BINARY, PAIR }

    private final List<Map.Entry<Integer, Object>> entries = new ArrayList<>();

    public static Props of() {
        return new Props();
    }

    /** Adds a property; the value is an Integer/Long for numbers, String, byte[], or String[2] for a pair. */
    public Props add(int id, Object value) {
        kind(id);
        entries.add(Map.entry(id, value));
        return this;
    }

    public Props user(String name, String value) {
        return add(USER_PROPERTY, new String[] {name, value});
    }

    public boolean has(int id) {
        return entries.stream().anyMatch(e -> e.getKey() == id);
    }

    /** The first value of the property, or null. */
    public Object get(int id) {
        return entries.stream().filter(e -> e.getKey() == id).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** A numeric property as a long, or null. */
    public Long number(int id) {
        Object value = get(id);
        return value == null ? null : ((Number) value).longValue();
    }

    public String string(int id) {
        return (String) get(id);
    }

    public List<Object> all(int id) {
        return entries.stream().filter(e -> e.getKey() == id).map(Map.Entry::getValue).toList();
    }

    /** User properties as "name=value" strings, in wire order. */
    public List<String> userProperties() {
        return all(USER_PROPERTY).stream().map(v -> ((String[]) v)[0] + "=" + ((String[]) v)[1]).toList();
    }

    public byte[] encode() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<Integer, Object> e : entries) {
            int id = e.getKey();
            writeVarInt(body, id);
            Object v = e.getValue();
            switch (kind(id)) {
                case BYTE -> body.write(((Number) v).intValue());
                case TWO -> writeTwo(body, ((Number) v).intValue());
                case FOUR -> {
                    long n = ((Number) v).longValue();
                    body.write((int) (n >>> 24));
                    body.write((int) (n >>> 16));
                    body.write((int) (n >>> 8));
                    body.write((int) n);
                }
                case VARINT -> writeVarInt(body, ((Number) v).intValue());
                case STRING -> writeString(body, (String) v);
                case BINARY -> writeBinary(body, (byte[]) v);
                case PAIR -> {
                    writeString(body, ((String[]) v)[0]);
                    writeString(body, ((String[]) v)[1]);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarInt(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** Decodes a property block (length included) from {@code in}. */
    static Props decode(Packet.Reader in) {
        Props props = new Props();
        int length = in.varInt();
        int end = in.position() + length;
        while (in.position() < end) {
            int id = in.varInt();
            Object value = switch (kind(id)) {
                case BYTE -> in.u8();
                case TWO -> in.u16();
                case FOUR -> in.u32();
                case VARINT -> in.varInt();
                case STRING -> in.string();
                case BINARY -> in.binary();
                case PAIR -> new String[] {in.string(), in.string()};
            };
            props.entries.add(Map.entry(id, value));
        }
        return props;
    }

    private static Kind kind(int id) {
        return switch (id) {
            case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> Kind.BYTE;
            case 0x13, 0x21, 0x22, 0x23 -> Kind.TWO;
            case 0x02, 0x11, 0x18, 0x27 -> Kind.FOUR;
            case 0x0B -> Kind.VARINT;
            case 0x03, 0x08, 0x12, 0x15, 0x1A, 0x1C, 0x1F -> Kind.STRING;
            case 0x09, 0x16 -> Kind.BINARY;
            case 0x26 -> Kind.PAIR;
            default -> throw new IllegalArgumentException("unknown property id 0x" + Integer.toHexString(id));
        };
    }

    static void writeVarInt(ByteArrayOutputStream out, int value) {
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    static void writeTwo(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    static void writeString(ByteArrayOutputStream out, String s) {
        writeBinary(out, s.getBytes(StandardCharsets.UTF_8));
    }

    static void writeBinary(ByteArrayOutputStream out, byte[] bytes) {
        writeTwo(out, bytes.length);
        out.writeBytes(bytes);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<Integer, Object> e : entries) {
            Object v = e.getValue();
            String text = v instanceof String[] pair ? pair[0] + "=" + pair[1]
                    : v instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(v);
            s.append(s.length() > 1 ? ", " : "").append("0x").append(Integer.toHexString(e.getKey())).append(':')
                    .append(text);
        }
        return s.append('}').toString();
    }
}
