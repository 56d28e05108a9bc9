package io.junction.amqp;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.model.Message;
import io.junction.core.model.ScheduleProperties;
import io.junction.core.model.StructuredBody;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedByte;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.UnsignedShort;
import org.apache.qpid.proton.amqp.messaging.AmqpSequence;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Header;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.amqp.messaging.Section;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Conversion between AMQP 1.0 messages and core messages (design section 3), by the AMQP JMS
 * mapping that Qpid JMS uses.
 *
 * <ul>
 *   <li>header durable / priority / ttl: persistence, priority, expiration;</li>
 *   <li>properties: message-id, correlation-id, reply-to, subject (JMSType), group-id and
 *       sequence, creation-time; content-type becomes the {@code content-type} property;</li>
 *   <li>application-properties: the properties (unsigned numbers widened to signed);</li>
 *   <li>body: a Data section is bytes, an AmqpValue string is text; any other body section is
 *       kept encoded as {@link BodyType#AMQP_VALUE}, so AMQP consumers get it back as sent.</li>
 * </ul>
 * Destinations of reply-to travel with Qpid JMS's {@code x-opt-jms-reply-to} type annotation.
 *
 * <p>Scheduled delivery: the message annotations {@code x-opt-delivery-time} (absolute epoch ms;
 * what Qpid JMS sends for a JMS 2.0 delivery delay) and {@code x-opt-delivery-delay} (ms) become the
 * core's {@code AMQ_SCHEDULED_DELAY}; {@code x-opt-delivery-period}, {@code -repeat} and
 * {@code -cron} (ActiveMQ's AMQP names) and annotations named like the core properties
 * ({@code AMQ_SCHEDULED_DELAY} ...) become those properties. Application properties of those names
 * are properties already, and win over annotations.
 */
final class AmqpMessages {

    static final Symbol JMS_MSG_TYPE = Symbol.valueOf("x-opt-jms-msg-type");
    static final Symbol JMS_DEST = Symbol.valueOf("x-opt-jms-dest");
    static final Symbol JMS_REPLY_TO = Symbol.valueOf("x-opt-jms-reply-to");
    private static final byte JMS_MESSAGE = 0;
    private static final byte JMS_OBJECT = 1;
    private static final byte JMS_MAP = 2;
    private static final byte JMS_BYTES = 3;
    private static final byte JMS_STREAM = 4;
    private static final byte JMS_TEXT = 5;
    /** The content type of a Java-serialized object in a Data section (Qpid JMS's ObjectMessage). */
    static final String SERIALIZED_OBJECT = "application/x-java-serialized-object";
    private static final byte TYPE_QUEUE = 0;
    private static final byte TYPE_TOPIC = 1;
    private static final byte TYPE_TEMP_QUEUE = 2;
    private static final byte TYPE_TEMP_TOPIC = 3;
    static final String CONTENT_TYPE = "content-type";
    /**
     * The JMS message type of a body kept AMQP-encoded ({@link BodyType#AMQP_VALUE}), so that a
     * JMS consumer gets the type that was sent.
     */
    static final String MSG_TYPE = "JMS_AMQP_MsgType";
    private static final Symbol DELIVERY_TIME = Symbol.valueOf("x-opt-delivery-time");
    /** Annotations that carry a schedule, and the core property each becomes; a later one wins. */
    private static final List<Map.Entry<Symbol, String>> SCHEDULE_ANNOTATIONS = List.of(
            Map.entry(Symbol.valueOf("x-opt-delivery-delay"), ScheduleProperties.DELAY),
            Map.entry(Symbol.valueOf("x-opt-delivery-period"), ScheduleProperties.PERIOD),
            Map.entry(Symbol.valueOf("x-opt-delivery-repeat"), ScheduleProperties.REPEAT),
            Map.entry(Symbol.valueOf("x-opt-delivery-cron"), ScheduleProperties.CRON),
            Map.entry(Symbol.valueOf(ScheduleProperties.DELAY), ScheduleProperties.DELAY),
            Map.entry(Symbol.valueOf(ScheduleProperties.PERIOD), ScheduleProperties.PERIOD),
            Map.entry(Symbol.valueOf(ScheduleProperties.REPEAT), ScheduleProperties.REPEAT),
            Map.entry(Symbol.valueOf(ScheduleProperties.CRON), ScheduleProperties.CRON));

    private AmqpMessages() {
    }

    static Message toCore(org.apache.qpid.proton.message.Message amqp, Destination destination, long now) {
        Message.Builder b = Message.builder(destination).timestamp(now);
        Header header = amqp.getHeader();
        if (header != null) {
            b.persistent(Boolean.TRUE.equals(header.getDurable()));
            if (header.getPriority() != null) {
                b.priority(Math.min(9, header.getPriority().intValue()));
            }
            if (header.getTtl() != null && header.getTtl().longValue() > 0) {
                b.expiration(now + header.getTtl().longValue());
            }
        }
        Properties p = amqp.getProperties();
        Map<Symbol, Object> annotations = amqp.getMessageAnnotations() == null ? Map.of()
                : amqp.getMessageAnnotations().getValue();
        if (p != null) {
            if (p.getMessageId() != null) {
                b.messageId(p.getMessageId().toString());
            }
            if (p.getCorrelationId() != null) {
                b.correlationId(p.getCorrelationId().toString());
            }
            if (p.getReplyTo() != null) {
                b.replyTo(destinationOf(p.getReplyTo(), annotations.get(JMS_REPLY_TO)));
            }
            if (p.getSubject() != null) {
                b.type(p.getSubject());
            }
            if (p.getGroupId() != null) {
                b.group(p.getGroupId(), p.getGroupSequence() == null ? 0 : p.getGroupSequence().intValue());
            }
            if (p.getCreationTime() != null) {
                b.timestamp(p.getCreationTime().getTime());
            }
        }
        Byte jmsType = annotations.get(JMS_MSG_TYPE) instanceof Byte type ? type : null;
        String contentType = p == null || p.getContentType() == null ? null : p.getContentType().toString();
        BodyType kind = body(b, amqp.getBody(), jmsType, contentType);
        if (contentType != null && !(kind == BodyType.OBJECT && contentType.equals(SERIALIZED_OBJECT))) {
            b.property(CONTENT_TYPE, contentType);
        }
        if (kind == BodyType.AMQP_VALUE && jmsType != null) {
            b.property(MSG_TYPE, jmsType);
        }
        schedule(annotations, b, now);
        ApplicationProperties application = amqp.getApplicationProperties();
        if (application != null && application.getValue() != null) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) application.getValue()).entrySet()) {
                Object value = plain(e.getValue());
                if (e.getKey() instanceof String name && value != null) {
                    b.property(name, value);
                }
            }
        }
        return b.build();
    }

    /**
     * Sets the body of the core message: Data is bytes (an object when Qpid JMS's type annotation
     * or the content type says it is Java-serialized); AmqpValue(string) is text; AmqpValue(map)
     * is a map, AmqpValue(list) and AmqpSequence a stream, when their values have a neutral form
     * (and the annotation names no other JMS type); no body at all, or a null value, with the
     * annotation of a plain JMS Message, is no body. Anything else stays AMQP-encoded.
     */
    private static BodyType body(Message.Builder b, Section body, Byte jmsType, String contentType) {
        BodyType kind;
        byte[] bytes;
        if (body instanceof Data data) {
            Binary binary = data.getValue();
            bytes = binary == null ? new byte[0] : binary.getArray().length == binary.getLength()
                    && binary.getArrayOffset() == 0 ? binary.getArray() : java.util.Arrays.copyOfRange(
                    binary.getArray(), binary.getArrayOffset(), binary.getArrayOffset() + binary.getLength());
            kind = isObject(jmsType, contentType) ? BodyType.OBJECT : BodyType.BYTES;
        } else if (body instanceof AmqpValue value && value.getValue() == null
                && Objects.equals(jmsType, JMS_MESSAGE)) {
            kind = BodyType.NONE;
            bytes = new byte[0];
        } else if (body instanceof AmqpValue value && (value.getValue() instanceof String || value.getValue() == null)) {
            String text = (String) value.getValue();
            kind = BodyType.TEXT;
            bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        } else if (body instanceof AmqpValue value && value.getValue() instanceof Map<?, ?> map
                && (jmsType == null || jmsType == JMS_MAP) && neutral(map) instanceof Map<?, ?> neutral
                && StructuredBody.isSupported(neutral)) {
            @SuppressWarnings("unchecked")
            Map<String, ?> named = (Map<String, ?>) neutral;
            kind = BodyType.MAP;
            bytes = StructuredBody.encodeMap(named);
        } else if (listOf(body) != null && (jmsType == null || jmsType == JMS_STREAM)
                && neutral(listOf(body)) instanceof List<?> neutral && StructuredBody.isSupported(neutral)) {
            kind = BodyType.STREAM;
            bytes = StructuredBody.encodeList(neutral);
        } else if (body != null) {
            kind = BodyType.AMQP_VALUE;
            bytes = encodeBody(body);
        } else {
            kind = jmsType == null ? BodyType.BYTES : switch (jmsType) {
                case JMS_MESSAGE -> BodyType.NONE;
                case JMS_TEXT -> BodyType.TEXT;
                case JMS_MAP -> BodyType.MAP;
                case JMS_STREAM -> BodyType.STREAM;
                default -> isObject(jmsType, contentType) ? BodyType.OBJECT : BodyType.BYTES;
            };
            bytes = new byte[0];
        }
        b.body(kind, bytes);
        return kind;
    }

    private static boolean isObject(Byte jmsType, String contentType) {
        return jmsType == null ? SERIALIZED_OBJECT.equals(contentType) : jmsType == JMS_OBJECT;
    }

    private static List<?> listOf(Section body) {
        if (body instanceof AmqpSequence sequence) {
            return sequence.getValue() == null ? List.of() : sequence.getValue();
        }
        return body instanceof AmqpValue value && value.getValue() instanceof List<?> list ? list : null;
    }

    /** An AMQP map or list value with its binaries as byte arrays, nested too. */
    private static Object neutral(Object value) {
        if (value instanceof Binary binary) {
            return java.util.Arrays.copyOfRange(binary.getArray(), binary.getArrayOffset(),
                    binary.getArrayOffset() + binary.getLength());
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, neutral(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(neutral(v)));
            return copy;
        }
        return value;
    }

    /** A neutral map or list value as an AMQP value: byte arrays as binaries, nested too. */
    private static Object amqp(Object value) {
        if (value instanceof byte[] bytes) {
            return new Binary(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, amqp(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(amqp(v)));
            return copy;
        }
        return value;
    }

    /**
     * The schedule annotations as core properties; the core refuses values it cannot use. A delivery
     * time already past means no delay.
     */
    private static void schedule(Map<Symbol, Object> annotations, Message.Builder b, long now) {
        Object time = annotations.get(DELIVERY_TIME);
        if (time instanceof Number || time instanceof Date) {
            long at = time instanceof Date date ? date.getTime() : ((Number) time).longValue();
            b.property(ScheduleProperties.DELAY, Math.max(0, at - now));
        }
        for (Map.Entry<Symbol, String> annotation : SCHEDULE_ANNOTATIONS) {
            Object value = plain(annotations.get(annotation.getKey()));
            if (value != null) {
                b.property(annotation.getValue(), value);
            }
        }
    }

    static org.apache.qpid.proton.message.Message toAmqp(Message m, Destination addressedTo, int deliveryCount,
                                                         long now) {
        org.apache.qpid.proton.message.Message amqp = org.apache.qpid.proton.message.Message.Factory.create();
        Header header = new Header();
        header.setDurable(m.persistent());
        header.setPriority(UnsignedByte.valueOf((byte) m.priority()));
        if (m.expiration() > 0) {
            header.setTtl(UnsignedInteger.valueOf(Math.max(1, m.expiration() - now)));
        }
        if (deliveryCount > 0) {
            header.setDeliveryCount(UnsignedInteger.valueOf(deliveryCount));
        }
        header.setFirstAcquirer(deliveryCount == 0);
        amqp.setHeader(header);
        Properties p = new Properties();
        p.setMessageId(m.messageId() != null ? m.messageId() : "ID:junction-" + m.brokerId());
        p.setCorrelationId(m.correlationId());
        p.setTo(AmqpAddresses.address(addressedTo));
        if (m.replyTo() != null) {
            p.setReplyTo(AmqpAddresses.address(m.replyTo()));
        }
        p.setSubject(m.type());
        p.setGroupId(m.groupId());
        if (m.groupId() != null) {
            p.setGroupSequence(UnsignedInteger.valueOf(m.groupSequence()));
        }
        p.setCreationTime(new Date(m.timestamp()));
        Object contentType = m.bodyType() == BodyType.OBJECT ? SERIALIZED_OBJECT : m.property(CONTENT_TYPE);
        if (contentType != null) {
            p.setContentType(Symbol.valueOf(contentType.toString()));
        }
        if (m.expiration() > 0) {
            p.setAbsoluteExpiryTime(new Date(m.expiration()));
        }
        amqp.setProperties(p);
        Map<Symbol, Object> annotations = new HashMap<>();
        annotations.put(JMS_DEST, typeOf(addressedTo));
        if (m.replyTo() != null) {
            annotations.put(JMS_REPLY_TO, typeOf(m.replyTo()));
        }
        Map<String, Object> application = new LinkedHashMap<>();
        m.properties().forEach((name, value) -> {
            if (!name.equals(CONTENT_TYPE) && !name.equals(MSG_TYPE)) {
                application.put(name, value instanceof byte[] bytes ? new Binary(bytes) : value);
            }
        });
        if (!application.isEmpty()) {
            amqp.setApplicationProperties(new ApplicationProperties(application));
        }
        switch (m.bodyType()) {
            case TEXT -> {
                annotations.put(JMS_MSG_TYPE, JMS_TEXT);
                amqp.setBody(new AmqpValue(m.bodyAsText()));
            }
            case MAP -> {
                annotations.put(JMS_MSG_TYPE, JMS_MAP);
                amqp.setBody(new AmqpValue(amqp(StructuredBody.decodeMap(m.body()))));
            }
            case STREAM -> {
                annotations.put(JMS_MSG_TYPE, JMS_STREAM);
                amqp.setBody(new AmqpValue(amqp(StructuredBody.decodeList(m.body()))));
            }
            case OBJECT -> {
                annotations.put(JMS_MSG_TYPE, JMS_OBJECT);
                amqp.setBody(new Data(new Binary(m.body())));
            }
            case NONE -> annotations.put(JMS_MSG_TYPE, JMS_MESSAGE);
            case AMQP_VALUE -> {
                annotations.put(JMS_MSG_TYPE, m.property(MSG_TYPE) instanceof Byte type ? type : JMS_MESSAGE);
                amqp.setBody(decodeBody(m.body()));
            }
            default -> {
                annotations.put(JMS_MSG_TYPE, JMS_BYTES);
                amqp.setBody(new Data(new Binary(m.body())));
            }
        }
        amqp.setMessageAnnotations(new MessageAnnotations(annotations));
        return amqp;
    }

    /**
     * The destination of an address with Qpid JMS's type annotation ({@code x-opt-jms-dest},
     * {@code x-opt-jms-reply-to}); without one, by the address's own prefix, else a queue.
     */
    static Destination destinationOf(String address, Object type) {
        if (type instanceof Number n) {
            return switch (n.byteValue()) {
                case TYPE_TOPIC -> Destination.topic(address);
                case TYPE_TEMP_QUEUE -> new Destination(DestinationType.TEMP_QUEUE, address);
                case TYPE_TEMP_TOPIC -> new Destination(DestinationType.TEMP_TOPIC, address);
                default -> Destination.queue(address);
            };
        }
        return AmqpAddresses.toCore(address, null);
    }

    private static byte typeOf(Destination destination) {
        return switch (destination.type()) {
            case QUEUE -> TYPE_QUEUE;
            case TOPIC -> TYPE_TOPIC;
            case TEMP_QUEUE -> TYPE_TEMP_QUEUE;
            case TEMP_TOPIC -> TYPE_TEMP_TOPIC;
        };
    }

    /** An application property value as a core property value: unsigned numbers widened, binary as bytes. */
    private static Object plain(Object value) {
        if (value instanceof UnsignedByte u) {
            return (short) u.intValue();
        }
        if (value instanceof UnsignedShort u) {
            return u.intValue();
        }
        if (value instanceof UnsignedInteger u) {
            return u.longValue();
        }
        if (value instanceof UnsignedLong u) {
            return u.longValue();
        }
        if (value instanceof Binary binary) {
            return java.util.Arrays.copyOfRange(binary.getArray(), binary.getArrayOffset(),
                    binary.getArrayOffset() + binary.getLength());
        }
        if (value instanceof Symbol symbol) {
            return symbol.toString();
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Byte || value instanceof Short
                || value instanceof Integer || value instanceof Long || value instanceof Float
                || value instanceof Double) {
            return value;
        }
        return value == null ? null : value.toString();
    }

    private static byte[] encodeBody(Section body) {
        org.apache.qpid.proton.message.Message holder = org.apache.qpid.proton.message.Message.Factory.create();
        holder.setBody(body);
        return AmqpCodec.encode(holder, 0);
    }

    private static Section decodeBody(byte[] encoded) {
        org.apache.qpid.proton.message.Message holder = org.apache.qpid.proton.message.Message.Factory.create();
        holder.decode(encoded, 0, encoded.length);
        return holder.getBody();
    }
}
