package io.junction.mqtt;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Conversion between MQTT application messages and core messages (design section 3).
 *
 * <ul>
 *   <li>QoS 1 and 2 messages are persistent, QoS 0 ones are not. A subscriber gets at most the
 *       published QoS: a non-persistent message counts as QoS 0, a persistent one as QoS 2
 *       unless {@value #QOS} says 1 (only QoS 1 carries the property, so most messages need no
 *       property map).</li>
 *   <li>The payload is bytes; with payload-format-indicator 1 it is text (a JMS TextMessage).</li>
 *   <li>MQTT 5 user properties are string properties; content-type is the {@code content-type}
 *       property (STOMP's header); response-topic is reply-to (a topic); correlation-data is the
 *       correlation id when it is UTF-8, else the bytes property {@value #CORRELATION_DATA};
 *       message-expiry-interval is the expiration.</li>
 *   <li>A message published with the retain flag carries {@value #RETAIN} = true, for
 *       subscriptions with retain-as-published.</li>
 * </ul>
 */
final class MqttMessages {

    static final String QOS = "JMS_MQTT_QoS";
    static final String RETAIN = "JMS_MQTT_Retain";
    static final String CORRELATION_DATA = "JMS_MQTT_CorrelationData";
    static final String CONTENT_TYPE = "content-type";
    /**
     * The user properties as sent, when a name repeats: the string properties keep one value per
     * name, MQTT keeps every pair in order [MQTT-3.3.2-18].
     */
    static final String USER_PROPERTIES = "JMS_MQTT_UserProperties";

    private MqttMessages() {
    }

    /** A core message from a PUBLISH (or a will); the properties are MQTT 5's, or empty. */
    static Message toCore(Destination topic, int qos, boolean retain, byte[] payload, MqttProperties properties,
                          long now) {
        Message.Builder b = Message.builder(topic)
                .persistent(qos > 0)
                .timestamp(now);
        if (qos == 1) {
            b.property(QOS, qos);
        }
        if (retain) {
            b.property(RETAIN, true);
        }
        boolean text = false;
        for (MqttProperty<?> p : properties.listAll()) {
            switch (p.propertyId()) {
                case MqttProperties.PAYLOAD_FORMAT_INDICATOR -> text = ((Integer) p.value()) == 1;
                case MqttProperties.PUBLICATION_EXPIRY_INTERVAL -> {
                    long seconds = Integer.toUnsignedLong((Integer) p.value());
                    b.expiration(now + seconds * 1000);
                }
                case MqttProperties.CONTENT_TYPE -> b.property(CONTENT_TYPE, (String) p.value());
                case MqttProperties.RESPONSE_TOPIC -> b.replyTo(MqttTopics.toCore((String) p.value()));
                case MqttProperties.CORRELATION_DATA -> {
                    byte[] data = (byte[]) p.value();
                    String utf8 = utf8(data);
                    if (utf8 != null) {
                        b.correlationId(utf8);
                    } else {
                        b.property(CORRELATION_DATA, data);
                    }
                }
                case MqttProperties.USER_PROPERTY -> {
                    List<StringPair> pairs = ((UserProperties) p).value();
                    Set<String> names = new HashSet<>();
                    boolean repeated = false;
                    for (StringPair pair : pairs) {
                        repeated |= !names.add(pair.key);
                        b.property(pair.key, pair.value);
                    }
                    if (repeated) {
                        b.property(USER_PROPERTIES, encodePairs(pairs));
                    }
                }
                default -> {
                }
            }
        }
        b.body(text ? BodyType.TEXT : BodyType.BYTES, payload);
        return b.build();
    }

    /**
     * The QoS a message was published with: QoS 1 is marked, otherwise persistence tells (a
     * message from another protocol is QoS 2 when persistent, QoS 0 when not).
     */
    static int publishedQos(Message message) {
        if (!message.persistent()) {
            return 0;
        }
        return message.property(QOS) instanceof Integer q ? q : 2;
    }

    static boolean publishedRetained(Message message) {
        return Boolean.TRUE.equals(message.property(RETAIN));
    }

    /**
     * The MQTT 5 properties of an outgoing PUBLISH (without subscription identifier and topic
     * alias, which belong to the subscription and the connection).
     */
    static MqttProperties properties(Message message, long now) {
        MqttProperties props = new MqttProperties();
        if (message.bodyType() == BodyType.TEXT) {
            props.add(new IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
        }
        if (message.expiration() > 0) {
            long seconds = Math.max(1, (message.expiration() - now + 999) / 1000);
            props.add(new IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) Math.min(seconds, 0xFFFFFFFFL)));
        }
        if (message.replyTo() != null) {
            Destination replyTo = message.replyTo();
            String topic = replyTo.isTopic() ? MqttTopics.fromCore(replyTo.name()) : replyTo.name();
            props.add(new StringProperty(MqttProperties.RESPONSE_TOPIC, topic));
        }
        Object data = message.property(CORRELATION_DATA);
        if (data instanceof byte[] bytes) {
            props.add(new BinaryProperty(MqttProperties.CORRELATION_DATA, bytes));
        } else if (message.correlationId() != null) {
            props.add(new BinaryProperty(MqttProperties.CORRELATION_DATA,
                    message.correlationId().getBytes(StandardCharsets.UTF_8)));
        }
        UserProperties user = null;
        if (message.property(USER_PROPERTIES) instanceof byte[] pairs) {
            user = new UserProperties(decodePairs(pairs));
        }
        for (Map.Entry<String, Object> p : message.properties().entrySet()) {
            String name = p.getKey();
            if (name.equals(CONTENT_TYPE)) {
                props.add(new StringProperty(MqttProperties.CONTENT_TYPE, String.valueOf(p.getValue())));
            } else if (!name.startsWith("JMS_MQTT_") && !(p.getValue() instanceof byte[])
                    && !message.properties().containsKey(USER_PROPERTIES)) {
                if (user == null) {
                    user = new UserProperties();
                }
                user.add(name, String.valueOf(p.getValue()));
            }
        }
        if (user != null) {
            props.add(user);
        }
        return props;
    }

    private static byte[] encodePairs(List<StringPair> pairs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(pairs.size());
            for (StringPair pair : pairs) {
                out.writeUTF(pair.key);
                out.writeUTF(pair.value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static List<StringPair> decodePairs(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int count = in.readInt();
            List<StringPair> pairs = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                pairs.add(new StringPair(in.readUTF(), in.readUTF()));
            }
            return pairs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String utf8(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
