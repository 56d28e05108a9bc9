package io.junction.openwire;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.model.Message;
import io.junction.core.model.StructuredBody;
import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMapMessage;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQObjectMessage;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQStreamMessage;
import org.apache.activemq.command.ActiveMQTempQueue;
import org.apache.activemq.command.ActiveMQTempTopic;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.ActiveMQTopic;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.util.ByteSequence;
import org.apache.activemq.util.MarshallingSupport;
import org.fusesource.hawtbuf.UTF8Buffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conversion between ActiveMQ's OpenWire messages and core messages (design section 3; the rules
 * field by field are in docs/protocols/openwire.md, "Message conversion"): the JMS headers map to
 * the core's fields, properties to properties. Text and bytes bodies are text and bytes; map and
 * stream bodies are decoded from ActiveMQ's marshalling into the core's neutral
 * {@link StructuredBody} encoding and back; object bodies are the Java-serialized bytes; a plain
 * message has no body. Compressed bodies ({@code jms.useCompression}) are inflated on the way in,
 * and consumers get them uncompressed.
 */
final class OpenWireMessages {

    private OpenWireMessages() {
    }

    static Destination toCore(ActiveMQDestination d) {
        DestinationType type = d.isTemporary() ? (d.isQueue() ? DestinationType.TEMP_QUEUE : DestinationType.TEMP_TOPIC)
                : d.isQueue() ? DestinationType.QUEUE : DestinationType.TOPIC;
        return new Destination(type, d.getPhysicalName());
    }

    static ActiveMQDestination fromCore(Destination d) {
        return switch (d.type()) {
            case QUEUE -> new ActiveMQQueue(d.name());
            case TOPIC -> new ActiveMQTopic(d.name());
            case TEMP_QUEUE -> new ActiveMQTempQueue(d.name());
            case TEMP_TOPIC -> new ActiveMQTempTopic(d.name());
        };
    }

    static Message toCore(ActiveMQMessage m) throws IOException, jakarta.jms.JMSException {
        Message.Builder b = Message.builder(toCore(m.getDestination()))
                .persistent(m.isPersistent())
                .priority(Math.max(0, Math.min(9, m.getPriority())))
                .timestamp(m.getTimestamp() == 0 ? System.currentTimeMillis() : m.getTimestamp())
                .expiration(Math.max(0, m.getExpiration()))
                .messageId(m.getMessageId() == null ? null : m.getMessageId().toString())
                .correlationId(m.getCorrelationId())
                .type(m.getType());
        if (m.getReplyTo() != null) {
            b.replyTo(toCore(m.getReplyTo()));
        }
        if (m.getGroupID() != null) {
            b.group(m.getGroupID(), m.getGroupSequence());
        }
        for (Map.Entry<String, Object> p : m.getProperties().entrySet()) {
            b.property(p.getKey(), propertyValue(p.getValue()));
        }
        try {
            body(b, m);
        } catch (IOException | RuntimeException e) {
            jakarta.jms.MessageFormatException error = new jakarta.jms.MessageFormatException(
                    "unreadable " + m.getClass().getSimpleName() + " body: " + e.getMessage());
            error.initCause(e);
            throw error;
        }
        return b.build();
    }

    /**
     * The body in its neutral form: text and bytes as they are, maps and streams decoded from
     * ActiveMQ's marshalling, objects as their serialized bytes, all inflated when compressed.
     */
    private static void body(Message.Builder b, ActiveMQMessage m) throws IOException, jakarta.jms.JMSException {
        if (m instanceof ActiveMQTextMessage text) {
            // getText() inflates a compressed body.
            String body = text.getText();
            b.body(BodyType.TEXT, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        } else if (m instanceof ActiveMQBytesMessage bytes) {
            // Reading inflates a compressed body.
            bytes.setReadOnlyBody(true);
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            b.body(BodyType.BYTES, body);
        } else if (m instanceof ActiveMQMapMessage) {
            Map<String, Object> map = new LinkedHashMap<>();
            byte[] content = plainContent(m);
            if (content.length > 0) {
                MarshallingSupport.unmarshalPrimitiveMap(new DataInputStream(new ByteArrayInputStream(content)))
                        .forEach((name, value) -> map.put(name, plain(value)));
            }
            b.body(BodyType.MAP, StructuredBody.encodeMap(map));
        } else if (m instanceof ActiveMQStreamMessage) {
            List<Object> list = new ArrayList<>();
            ByteArrayInputStream content = new ByteArrayInputStream(plainContent(m));
            DataInputStream in = new DataInputStream(content);
            while (content.available() > 0) {
                list.add(plain(MarshallingSupport.unmarshalPrimitive(in)));
            }
            b.body(BodyType.STREAM, StructuredBody.encodeList(list));
        } else if (m instanceof ActiveMQObjectMessage) {
            b.body(BodyType.OBJECT, plainContent(m));
        } else {
            b.body(BodyType.NONE, new byte[0]);
        }
    }

    static ActiveMQMessage toOpenWire(Message m, Destination addressedTo, MessageId id) throws Exception {
        ActiveMQMessage out = switch (m.bodyType()) {
            case TEXT -> {
                ActiveMQTextMessage text = new ActiveMQTextMessage();
                text.setText(m.bodyAsText());
                yield text;
            }
            case MAP -> {
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                try (DataOutputStream data = new DataOutputStream(content)) {
                    MarshallingSupport.marshalPrimitiveMap(StructuredBody.decodeMap(m.body()), data);
                }
                yield withContent(new ActiveMQMapMessage(), content.toByteArray());
            }
            case STREAM -> {
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                try (DataOutputStream data = new DataOutputStream(content)) {
                    for (Object value : StructuredBody.decodeList(m.body())) {
                        MarshallingSupport.marshalPrimitive(data, value);
                    }
                }
                yield withContent(new ActiveMQStreamMessage(), content.toByteArray());
            }
            case OBJECT -> withContent(new ActiveMQObjectMessage(), m.body());
            case NONE -> new ActiveMQMessage();
            default -> withContent(new ActiveMQBytesMessage(), m.body());
        };
        out.setMessageId(id);
        out.setDestination(fromCore(addressedTo));
        out.setPersistent(m.persistent());
        out.setPriority((byte) m.priority());
        out.setTimestamp(m.timestamp());
        out.setExpiration(m.expiration());
        out.setCorrelationId(m.correlationId());
        out.setType(m.type());
        if (m.replyTo() != null) {
            out.setReplyTo(fromCore(m.replyTo()));
        }
        if (m.groupId() != null) {
            out.setGroupID(m.groupId());
            out.setGroupSequence(m.groupSequence());
        }
        for (Map.Entry<String, Object> p : m.properties().entrySet()) {
            out.setProperty(p.getKey(), p.getValue());
        }
        out.setReadOnlyBody(true);
        out.setReadOnlyProperties(true);
        return out;
    }

    /**
     * The content of a map, stream or object message as the client marshalled it, inflated when
     * the client compressed it (ActiveMQ's {@code useCompression}), within the client's own limit
     * on inflated data.
     */
    private static byte[] plainContent(ActiveMQMessage m) throws IOException {
        ByteSequence content = m.getContent();
        if (content == null || content.getLength() == 0) {
            return new byte[0];
        }
        InputStream in = new ByteArrayInputStream(content.getData(), content.getOffset(), content.getLength());
        if (!m.isCompressed()) {
            return in.readAllBytes();
        }
        try (InputStream inflated = MarshallingSupport.createInflaterInputStream(m.getMaxInflatedDataSize(), in)) {
            return inflated.readAllBytes();
        }
    }

    /** A value unmarshalled by ActiveMQ as a core value: its UTF-8 buffers as strings, nested too. */
    private static Object plain(Object value) {
        if (value instanceof UTF8Buffer utf8) {
            return utf8.toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((name, v) -> copy.put(String.valueOf(name), plain(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(plain(v)));
            return copy;
        }
        return value;
    }

    /**
     * A property value as a core property: JMS types as they are, ActiveMQ's UTF-8 buffers as
     * strings, anything else ActiveMQ allows (nested maps and lists, characters) as its text.
     */
    private static Object propertyValue(Object value) {
        Object plain = plain(value);
        if (plain instanceof String || plain instanceof Boolean || plain instanceof Byte || plain instanceof Short
                || plain instanceof Integer || plain instanceof Long || plain instanceof Float
                || plain instanceof Double || plain instanceof byte[]) {
            return plain;
        }
        return String.valueOf(plain);
    }

    private static ActiveMQMessage withContent(ActiveMQMessage message, byte[] body) {
        message.setContent(new ByteSequence(body));
        return message;
    }
}
