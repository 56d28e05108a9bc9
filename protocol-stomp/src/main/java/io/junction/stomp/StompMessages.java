package io.junction.stomp;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.NotAuthorizedException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.stomp.DefaultStompFrame;
import io.netty.handler.codec.stomp.StompCommand;
import io.netty.handler.codec.stomp.StompFrame;
import io.netty.handler.codec.stomp.StompHeaders;

import java.util.Map;
import java.util.Set;

/**
 * Converts between STOMP frames and core messages, following the header names ActiveMQ uses so
 * that existing STOMP applications see what they are used to:
 *
 * <ul>
 *   <li>{@code persistent:true} makes a persistent message (default non-persistent);</li>
 *   <li>{@code priority} (0-9), {@code expires} (absolute epoch ms, 0 = never),
 *       {@code correlation-id}, {@code reply-to}, {@code type}, {@code JMSXGroupID} and
 *       {@code JMSXGroupSeq} map to the message fields of the same meaning;</li>
 *   <li>every other header becomes a string property, and properties come back as headers;</li>
 *   <li>a frame with {@code content-length} carries bytes, one without carries text (ActiveMQ's
 *       rule); a {@code content-type} of {@code text/*} always means text. The content type is kept
 *       as the {@code content-type} property and returned on delivery.</li>
 * </ul>
 */
final class StompMessages {

    static final String CONTENT_TYPE = "content-type";

    /** Headers with a meaning of their own; never copied into or out of user properties. */
    private static final Set<String> RESERVED = Set.of(
            "destination", "receipt", "transaction", "content-length", "persistent", "priority", "expires",
            "correlation-id", "reply-to", "type", "message-id", "subscription", "ack", "redelivered", "timestamp",
            "JMSXGroupID", "JMSXGroupSeq", "id", "selector");

    private StompMessages() {
    }

    static Message fromSend(StompFrame frame, Destination destination, StompDestinations destinations,
                            String messageId) throws StompProtocolException, NotAuthorizedException {
        StompHeaders headers = frame.headers();
        Message.Builder b = Message.builder(destination)
                .messageId(messageId)
                .timestamp(System.currentTimeMillis())
                .persistent("true".equalsIgnoreCase(headers.getAsString("persistent")));
        String priority = headers.getAsString("priority");
        if (priority != null) {
            b.priority(parseInt("priority", priority, 0, 9));
        }
        String expires = headers.getAsString("expires");
        if (expires != null) {
            b.expiration(parseLong("expires", expires));
        }
        b.correlationId(headers.getAsString("correlation-id"));
        b.type(headers.getAsString("type"));
        String replyTo = headers.getAsString("reply-to");
        if (replyTo != null) {
            b.replyTo(destinations.toCore(replyTo));
        }
        String group = headers.getAsString("JMSXGroupID");
        if (group != null) {
            String sequence = headers.getAsString("JMSXGroupSeq");
            b.group(group, sequence == null ? 0 : parseInt("JMSXGroupSeq", sequence, 0, Integer.MAX_VALUE));
        }
        for (Map.Entry<CharSequence, CharSequence> header : headers) {
            String name = header.getKey().toString();
            // STOMP: when a header repeats, the first occurrence wins.
            if (!RESERVED.contains(name) && !b.hasProperty(name)) {
                b.property(name, header.getValue().toString());
            }
        }
        byte[] body = ByteBufUtil.getBytes(frame.content());
        b.body(isText(headers) ? BodyType.TEXT : BodyType.BYTES, body);
        return b.build();
    }

    private static boolean isText(StompHeaders headers) {
        String contentType = headers.getAsString(CONTENT_TYPE);
        if (contentType != null) {
            return contentType.startsWith("text/");
        }
        return !headers.contains(StompHeaders.CONTENT_LENGTH);
    }

    /**
     * @param ackId the value of the {@code ack} header (1.2, client ack modes), or null
     */
    static StompFrame toMessageFrame(Delivery delivery, String subscriptionId, String ackId,
                                     StompDestinations destinations) {
        Message m = delivery.message();
        DefaultStompFrame frame = new DefaultStompFrame(StompCommand.MESSAGE, Unpooled.wrappedBuffer(m.body()));
        StompHeaders h = frame.headers();
        h.set(StompHeaders.SUBSCRIPTION, subscriptionId);
        h.set(StompHeaders.MESSAGE_ID, m.messageId() != null ? m.messageId() : "ID-" + m.brokerId());
        h.set(StompHeaders.DESTINATION, destinations.toStomp(delivery.destination()));
        if (ackId != null) {
            h.set(StompHeaders.ACK, ackId);
        }
        Object contentType = m.property(CONTENT_TYPE);
        if (contentType != null) {
            h.set(StompHeaders.CONTENT_TYPE, contentType.toString());
        }
        // Always sent, so a body containing NUL bytes arrives whole.
        h.setInt(StompHeaders.CONTENT_LENGTH, m.body().length);
        if (m.persistent()) {
            h.set("persistent", "true");
        }
        h.setInt("priority", m.priority());
        h.setLong("timestamp", m.timestamp());
        h.setLong("expires", m.expiration());
        if (m.correlationId() != null) {
            h.set("correlation-id", m.correlationId());
        }
        if (m.replyTo() != null) {
            h.set("reply-to", destinations.toStomp(m.replyTo()));
        }
        if (m.type() != null) {
            h.set("type", m.type());
        }
        if (m.groupId() != null) {
            h.set("JMSXGroupID", m.groupId());
            h.setInt("JMSXGroupSeq", m.groupSequence());
        }
        if (delivery.redelivered()) {
            h.set("redelivered", "true");
        }
        for (Map.Entry<String, Object> property : m.properties().entrySet()) {
            Object value = property.getValue();
            if (!RESERVED.contains(property.getKey()) && !CONTENT_TYPE.equals(property.getKey())
                    && !(value instanceof byte[])) {
                h.set(property.getKey(), value.toString());
            }
        }
        return frame;
    }

    private static int parseInt(String header, String value, int min, int max) throws StompProtocolException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new StompProtocolException("header " + header + " must be a whole number from " + min + " to " + max
                + ", was '" + value + "'");
    }

    private static long parseLong(String header, String value) throws StompProtocolException {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new StompProtocolException("header " + header + " must be a non-negative whole number, was '" + value + "'");
    }
}
