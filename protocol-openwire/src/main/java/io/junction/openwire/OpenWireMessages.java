package io.junction.openwire;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.model.Message;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Conversion between ActiveMQ's OpenWire messages and core messages (design section 3): the JMS
 * headers map to the core's fields, properties to properties; text and bytes bodies are text and
 * bytes, and map, stream and object bodies keep their OpenWire encoding.
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
                .expiration(m.getExpiration())
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
            Object value = p.getValue();
            if (value instanceof org.fusesource.hawtbuf.UTF8Buffer utf8) {
                value = utf8.toString();
            }
            b.property(p.getKey(), value);
        }
        if (m instanceof ActiveMQTextMessage text) {
            String body = text.getText();
            b.body(BodyType.TEXT, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        } else if (m instanceof ActiveMQBytesMessage bytes) {
            bytes.setReadOnlyBody(true);
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            b.body(BodyType.BYTES, body);
        } else if (m instanceof ActiveMQMapMessage || m instanceof ActiveMQStreamMessage
                || m instanceof ActiveMQObjectMessage) {
            ByteSequence content = m.getContent();
            BodyType kind = m instanceof ActiveMQMapMessage ? BodyType.MAP
                    : m instanceof ActiveMQStreamMessage ? BodyType.STREAM : BodyType.OBJECT;
            b.body(kind, content == null ? new byte[0] : java.util.Arrays.copyOfRange(content.getData(),
                    content.getOffset(), content.getOffset() + content.getLength()));
        } else {
            b.body(BodyType.BYTES, new byte[0]);
        }
        return b.build();
    }

    static ActiveMQMessage toOpenWire(Message m, Destination addressedTo, MessageId id) throws Exception {
        ActiveMQMessage out = switch (m.bodyType()) {
            case TEXT -> {
                ActiveMQTextMessage text = new ActiveMQTextMessage();
                text.setText(m.bodyAsText());
                yield text;
            }
            case MAP -> withContent(new ActiveMQMapMessage(), m.body());
            case STREAM -> withContent(new ActiveMQStreamMessage(), m.body());
            case OBJECT -> withContent(new ActiveMQObjectMessage(), m.body());
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

    private static ActiveMQMessage withContent(ActiveMQMessage message, byte[] body) {
        message.setContent(new ByteSequence(body));
        return message;
    }
}
