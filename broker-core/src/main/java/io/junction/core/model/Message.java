package io.junction.core.model;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The protocol-neutral message. Immutable once built, except for the broker id, which the broker
 * assigns once when the message is first routed.
 *
 * <p>State that the broker owns per queue (delivery count, redelivered flag) is not kept here but
 * on the queue's reference to the message, so one message can sit in many queues.
 *
 * <p>User properties are typed: String, Boolean, Byte, Short, Integer, Long, Float, Double or
 * byte[], as in JMS and AMQP application properties.
 */
public final class Message {

    public static final int DEFAULT_PRIORITY = 4;

    private volatile long brokerId;
    private final Destination destination;
    private final boolean persistent;
    private final int priority;
    private final long timestamp;
    private final long expiration;
    private final String messageId;
    private final String correlationId;
    private final Destination replyTo;
    private final String type;
    private final String groupId;
    private final int groupSequence;
    private final Map<String, Object> properties;
    private final BodyType bodyType;
    private final byte[] body;
    private volatile String sender;

    private Message(Builder b) {
        this.destination = Objects.requireNonNull(b.destination, "destination");
        this.persistent = b.persistent;
        this.priority = b.priority;
        this.timestamp = b.timestamp;
        this.expiration = b.expiration;
        this.messageId = b.messageId;
        this.correlationId = b.correlationId;
        this.replyTo = b.replyTo;
        this.type = b.type;
        this.groupId = b.groupId;
        this.groupSequence = b.groupSequence;
        this.properties = b.properties == null ? Map.of() : Collections.unmodifiableMap(b.properties);
        this.bodyType = b.bodyType;
        this.body = b.body;
    }

    public static Builder builder(Destination destination) {
        return new Builder(destination);
    }

    /** A builder that starts as a copy of this message (without the broker id). */
    public Builder toBuilder() {
        Builder b = new Builder(destination);
        b.persistent = persistent;
        b.priority = priority;
        b.timestamp = timestamp;
        b.expiration = expiration;
        b.messageId = messageId;
        b.correlationId = correlationId;
        b.replyTo = replyTo;
        b.type = type;
        b.groupId = groupId;
        b.groupSequence = groupSequence;
        b.properties = properties.isEmpty() ? null : new LinkedHashMap<>(properties);
        b.bodyType = bodyType;
        b.body = body;
        return b;
    }

    /** The id the broker gave this message when it was routed; 0 before. */
    public long brokerId() {
        return brokerId;
    }

    /** Called once by the broker when it routes the message. */
    public void assignBrokerId(long id) {
        if (brokerId != 0) {
            throw new IllegalStateException("broker id already assigned: " + brokerId);
        }
        brokerId = id;
    }

    /**
     * Who sent the message, for no-local subscriptions: the sending connection's client id, or its
     * connection id when it has none; null for a message the broker made or recovered. Not stored.
     */
    public String sender() {
        return sender;
    }

    /** Called by the connection that sends the message; the first sender stays. */
    public void assignSender(String sender) {
        if (this.sender == null) {
            this.sender = sender;
        }
    }

    public Destination destination() {
        return destination;
    }

    public boolean persistent() {
        return persistent;
    }

    /** 0 (lowest) to 9 (highest); 4 when the producer set none. */
    public int priority() {
        return priority;
    }

    /** When the producer sent it, in epoch milliseconds. */
    public long timestamp() {
        return timestamp;
    }

    /** Absolute expiry time in epoch milliseconds; 0 means never. */
    public long expiration() {
        return expiration;
    }

    public boolean isExpired(long nowMillis) {
        return expiration > 0 && nowMillis >= expiration;
    }

    public String messageId() {
        return messageId;
    }

    public String correlationId() {
        return correlationId;
    }

    public Destination replyTo() {
        return replyTo;
    }

    public String type() {
        return type;
    }

    public String groupId() {
        return groupId;
    }

    public int groupSequence() {
        return groupSequence;
    }

    /** User properties in the order the producer gave them; unmodifiable. */
    public Map<String, Object> properties() {
        return properties;
    }

    public Object property(String name) {
        return properties.get(name);
    }

    public BodyType bodyType() {
        return bodyType;
    }

    /** The body bytes; callers must not modify the array. */
    public byte[] body() {
        return body;
    }

    /** The body as text: TEXT bodies and any other body read as UTF-8. */
    public String bodyAsText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Message{id=" + brokerId + ", destination=" + destination + ", messageId=" + messageId
                + ", persistent=" + persistent + ", priority=" + priority + ", bodyType=" + bodyType
                + ", bodyBytes=" + body.length + '}';
    }

    /** Builds a {@link Message}; not thread-safe. */
    public static final class Builder {
        private Destination destination;
        private boolean persistent;
        private int priority = DEFAULT_PRIORITY;
        private long timestamp;
        private long expiration;
        private String messageId;
        private String correlationId;
        private Destination replyTo;
        private String type;
        private String groupId;
        private int groupSequence;
        private Map<String, Object> properties;
        private BodyType bodyType = BodyType.BYTES;
        private byte[] body = new byte[0];

        private Builder(Destination destination) {
            this.destination = destination;
        }

        public Builder destination(Destination destination) {
            this.destination = destination;
            return this;
        }

        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        public Builder priority(int priority) {
            if (priority < 0 || priority > 9) {
                throw new IllegalArgumentException("priority must be 0 to 9, was " + priority);
            }
            this.priority = priority;
            return this;
        }

        public Builder timestamp(long timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder expiration(long expiration) {
            if (expiration < 0) {
                throw new IllegalArgumentException("expiration must not be negative, was " + expiration);
            }
            this.expiration = expiration;
            return this;
        }

        public Builder messageId(String messageId) {
            this.messageId = messageId;
            return this;
        }

        public Builder correlationId(String correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        public Builder replyTo(Destination replyTo) {
            this.replyTo = replyTo;
            return this;
        }

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder group(String groupId, int groupSequence) {
            this.groupId = groupId;
            this.groupSequence = groupSequence;
            return this;
        }

        /** Sets a user property; the value must be one of the supported property types. */
        public Builder property(String name, Object value) {
            Objects.requireNonNull(name, "property name");
            if (!isSupportedPropertyValue(value)) {
                throw new IllegalArgumentException("unsupported type for property '" + name + "': "
                        + (value == null ? "null" : value.getClass().getSimpleName()));
            }
            if (properties == null) {
                properties = new LinkedHashMap<>();
            }
            properties.put(name, value);
            return this;
        }

        /** Removes a user property, if set. */
        public Builder removeProperty(String name) {
            if (properties != null) {
                properties.remove(name);
            }
            return this;
        }

        public boolean hasProperty(String name) {
            return properties != null && properties.containsKey(name);
        }

        public Builder body(BodyType bodyType, byte[] body) {
            this.bodyType = Objects.requireNonNull(bodyType, "bodyType");
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        public Builder textBody(String text) {
            return body(BodyType.TEXT, text.getBytes(StandardCharsets.UTF_8));
        }

        public Message build() {
            return new Message(this);
        }

        private static boolean isSupportedPropertyValue(Object v) {
            return v instanceof String || v instanceof Boolean || v instanceof Byte || v instanceof Short
                    || v instanceof Integer || v instanceof Long || v instanceof Float || v instanceof Double
                    || v instanceof byte[];
        }
    }
}
