package io.junction.core.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol-neutral encoding of {@link BodyType#MAP} and {@link BodyType#STREAM} bodies: a
 * map of named values (a JMS MapMessage) or a list of values (a JMS StreamMessage), which each
 * protocol module converts from and to its own encoding.
 *
 * <p>Values are null, Boolean, Byte, Short, Character, Integer, Long, Float, Double, String,
 * byte[], and, nested, {@code Map<String, ?>} and {@code List<?>} of these (ActiveMQ and AMQP
 * allow nesting; JMS itself does not).
 *
 * <pre>
 * body  = format:int8=1 | map | list
 * map   = count:int32 | (name:string | value)*
 * list  = count:int32 | value*
 * value = tag:int8 | payload      (0 null, 1 boolean int8, 2 byte, 3 short, 4 char uint16, 5 int32,
 *                                  6 int64, 7 float32, 8 float64, 9 string, 10 bytes, 11 map, 12 list)
 * string = length:int32 | UTF-8;  bytes = length:int32 | bytes
 * </pre>
 */
public final class StructuredBody {

    private static final byte FORMAT = 1;
    private static final byte NULL = 0;
    private static final byte BOOLEAN = 1;
    private static final byte BYTE = 2;
    private static final byte SHORT = 3;
    private static final byte CHAR = 4;
    private static final byte INT = 5;
    private static final byte LONG = 6;
    private static final byte FLOAT = 7;
    private static final byte DOUBLE = 8;
    private static final byte STRING = 9;
    private static final byte BYTES = 10;
    private static final byte MAP = 11;
    private static final byte LIST = 12;

    private StructuredBody() {
    }

    /** True when the value, and everything nested in it, has one of the supported types. */
    public static boolean isSupported(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Byte || value instanceof Short
                || value instanceof Character || value instanceof Integer || value instanceof Long
                || value instanceof Float || value instanceof Double || value instanceof String
                || value instanceof byte[]) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String) || !isSupported(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                if (!isSupported(element)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** @throws IllegalArgumentException when a value is not {@linkplain #isSupported supported} */
    public static byte[] encodeMap(Map<String, ?> map) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            writeMap(out, map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when a value is not {@linkplain #isSupported supported} */
    public static byte[] encodeList(List<?> list) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            writeList(out, list);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The map, in its original order; an empty body is an empty map.
     *
     * @throws IllegalArgumentException when the body is not this encoding
     */
    public static Map<String, Object> decodeMap(byte[] body) {
        if (body.length == 0) {
            return new LinkedHashMap<>();
        }
        try {
            DataInputStream in = open(body);
            return readMap(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a map body: " + e.getMessage(), e);
        }
    }

    /**
     * The list; an empty body is an empty list.
     *
     * @throws IllegalArgumentException when the body is not this encoding
     */
    public static List<Object> decodeList(byte[] body) {
        if (body.length == 0) {
            return new ArrayList<>();
        }
        try {
            DataInputStream in = open(body);
            return readList(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a list body: " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("unknown format " + format);
        }
        return in;
    }

    private static void writeMap(DataOutputStream out, Map<?, ?> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new IllegalArgumentException("map names must be strings, not " + e.getKey());
            }
            writeBytes(out, name.getBytes(StandardCharsets.UTF_8));
            writeValue(out, e.getValue());
        }
    }

    private static void writeList(DataOutputStream out, List<?> list) throws IOException {
        out.writeInt(list.size());
        for (Object element : list) {
            writeValue(out, element);
        }
    }

    private static void writeValue(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Boolean v) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(v);
        } else if (value instanceof Byte v) {
            out.writeByte(BYTE);
            out.writeByte(v);
        } else if (value instanceof Short v) {
            out.writeByte(SHORT);
            out.writeShort(v);
        } else if (value instanceof Character v) {
            out.writeByte(CHAR);
            out.writeChar(v);
        } else if (value instanceof Integer v) {
            out.writeByte(INT);
            out.writeInt(v);
        } else if (value instanceof Long v) {
            out.writeByte(LONG);
            out.writeLong(v);
        } else if (value instanceof Float v) {
            out.writeByte(FLOAT);
            out.writeFloat(v);
        } else if (value instanceof Double v) {
            out.writeByte(DOUBLE);
            out.writeDouble(v);
        } else if (value instanceof String v) {
            out.writeByte(STRING);
            writeBytes(out, v.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof byte[] v) {
            out.writeByte(BYTES);
            writeBytes(out, v);
        } else if (value instanceof Map<?, ?> v) {
            out.writeByte(MAP);
            writeMap(out, v);
        } else if (value instanceof List<?> v) {
            out.writeByte(LIST);
            writeList(out, v);
        } else {
            throw new IllegalArgumentException("unsupported value type: " + value.getClass().getName());
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static Map<String, Object> readMap(DataInputStream in) throws IOException {
        int count = count(in);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = new String(readBytes(in), StandardCharsets.UTF_8);
            map.put(name, readValue(in));
        }
        return map;
    }

    private static List<Object> readList(DataInputStream in) throws IOException {
        int count = count(in);
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(readValue(in));
        }
        return list;
    }

    private static Object readValue(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case BOOLEAN -> in.readBoolean();
            case BYTE -> in.readByte();
            case SHORT -> in.readShort();
            case CHAR -> in.readChar();
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case FLOAT -> in.readFloat();
            case DOUBLE -> in.readDouble();
            case STRING -> new String(readBytes(in), StandardCharsets.UTF_8);
            case BYTES -> readBytes(in);
            case MAP -> readMap(in);
            case LIST -> readList(in);
            default -> throw new IOException("unknown value tag " + tag);
        };
    }

    /** A length or count, checked against what is left, so a corrupt body cannot ask for more memory. */
    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new EOFException("count " + n + " with " + in.available() + " bytes left");
        }
        return n;
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[count(in)];
        in.readFully(bytes);
        return bytes;
    }
}
