package io.junction.core.store;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.model.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The store's encoding of a {@link Message} (format 1). Strings are UTF-8 with an int32 length,
 * -1 for null; properties carry a one-byte type tag.
 *
 * <pre>
 * format:int8=1 | brokerId:int64 | persistent:int8 | priority:int8 | timestamp:int64 | expiration:int64
 * | destination | messageId | correlationId | replyTo (int8 0|1, then destination) | type | groupId | groupSeq:int32
 * | propertyCount:int32 (name, tag, value)* | bodyType:int8 | bodyLength:int32 | body
 * destination = type:int8 | name
 * </pre>
 */
public final class MessageCodec {

    private static final byte FORMAT = 1;
    private static final byte STRING = 1;
    private static final byte BOOLEAN = 2;
    private static final byte BYTE = 3;
    private static final byte SHORT = 4;
    private static final byte INT = 5;
    private static final byte LONG = 6;
    private static final byte FLOAT = 7;
    private static final byte DOUBLE = 8;
    private static final byte BYTES = 9;

    private MessageCodec() {
    }

    /** The message in this encoding, for state kept outside the message records (retained messages). */
    public static byte[] toBytes(Message m) {
        ByteBuf out = Unpooled.buffer(128 + m.body().length);
        encode(m, out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    public static Message fromBytes(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    static void encode(Message m, ByteBuf out) {
        out.writeByte(FORMAT);
        out.writeLong(m.brokerId());
        out.writeByte(m.persistent() ? 1 : 0);
        out.writeByte(m.priority());
        out.writeLong(m.timestamp());
        out.writeLong(m.expiration());
        writeDestination(out, m.destination());
        writeString(out, m.messageId());
        writeString(out, m.correlationId());
        out.writeByte(m.replyTo() == null ? 0 : 1);
        if (m.replyTo() != null) {
            writeDestination(out, m.replyTo());
        }
        writeString(out, m.type());
        writeString(out, m.groupId());
        out.writeInt(m.groupSequence());
        out.writeInt(m.properties().size());
        for (Map.Entry<String, Object> p : m.properties().entrySet()) {
            writeString(out, p.getKey());
            writeValue(out, p.getValue());
        }
        out.writeByte(m.bodyType().ordinal());
        out.writeInt(m.body().length);
        out.writeBytes(m.body());
    }

    static Message decode(ByteBuffer in) {
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown stored message format " + format);
        }
        long brokerId = in.getLong();
        boolean persistent = in.get() != 0;
        int priority = in.get();
        long timestamp = in.getLong();
        long expiration = in.getLong();
        Message.Builder b = Message.builder(readDestination(in))
                .persistent(persistent).priority(priority).timestamp(timestamp).expiration(expiration)
                .messageId(readString(in)).correlationId(readString(in));
        if (in.get() != 0) {
            b.replyTo(readDestination(in));
        }
        b.type(readString(in));
        String groupId = readString(in);
        int groupSequence = in.getInt();
        if (groupId != null) {
            b.group(groupId, groupSequence);
        }
        int properties = in.getInt();
        for (int i = 0; i < properties; i++) {
            b.property(readString(in), readValue(in));
        }
        BodyType bodyType = BodyType.values()[in.get()];
        byte[] body = new byte[in.getInt()];
        in.get(body);
        Message message = b.body(bodyType, body).build();
        message.assignBrokerId(brokerId);
        return message;
    }

    private static void writeDestination(ByteBuf out, Destination d) {
        out.writeByte(d.type().ordinal());
        writeString(out, d.name());
    }

    private static Destination readDestination(ByteBuffer in) {
        DestinationType type = DestinationType.values()[in.get()];
        return new Destination(type, readString(in));
    }

    static void writeString(ByteBuf out, String s) {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.writeBytes(bytes);
    }

    static String readString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeValue(ByteBuf out, Object v) {
        if (v instanceof String s) {
            out.writeByte(STRING);
            writeString(out, s);
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOLEAN).writeByte(b ? 1 : 0);
        } else if (v instanceof Byte b) {
            out.writeByte(BYTE).writeByte(b);
        } else if (v instanceof Short s) {
            out.writeByte(SHORT).writeShort(s);
        } else if (v instanceof Integer i) {
            out.writeByte(INT).writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte(LONG).writeLong(l);
        } else if (v instanceof Float f) {
            out.writeByte(FLOAT).writeFloat(f);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE).writeDouble(d);
        } else if (v instanceof byte[] bytes) {
            out.writeByte(BYTES).writeInt(bytes.length).writeBytes(bytes);
        } else {
            throw new IllegalArgumentException("unsupported property value " + v.getClass());
        }
    }

    private static Object readValue(ByteBuffer in) {
        byte tag = in.get();
        return switch (tag) {
            case STRING -> readString(in);
            case BOOLEAN -> in.get() != 0;
            case BYTE -> in.get();
            case SHORT -> in.getShort();
            case INT -> in.getInt();
            case LONG -> in.getLong();
            case FLOAT -> in.getFloat();
            case DOUBLE -> in.getDouble();
            case BYTES -> {
                byte[] bytes = new byte[in.getInt()];
                in.get(bytes);
                yield bytes;
            }
            default -> throw new IllegalArgumentException("unknown property type tag " + tag);
        };
    }
}
