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

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Conversion between MQTT application messages and core messages (design section 3).
 *
 * <ul>
 *   <li>QoS 1 and 2 messages are persistent, QoS 0 ones are not; the published QoS is kept in
 *       {@value #QOS}, so that an MQTT subscriber gets at most that QoS.</li>
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

    private MqttMessages() {
    }

    /** A core message from a PUBLISH (or a will); the properties are MQTT 5's, or empty. */
    static Message toCore(Destination topic, int qos, boolean retain, byte[] payload, MqttProperties properties,
                          long now) {
        Message.Builder b = Message.builder(topic)
                .persistent(qos > 0)
                .timestamp(now)
                .property(QOS, qos);
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
                    for (StringPair pair : ((UserProperties) p).value()) {
                        b.property(pair.key, pair.value);
                    }
                }
                default -> {
                }
            }
        }
        b.body(text ? BodyType.TEXT : BodyType.BYTES, payload);
        return b.build();
    }

    /** The QoS a message was published with; a message from another protocol counts as QoS 2. */
    static int publishedQos(Message message) {
        Object qos = message.property(QOS);
        return qos instanceof Integer q ? q : 2;
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
        for (Map.Entry<String, Object> p : message.properties().entrySet()) {
            String name = p.getKey();
            if (name.equals(CONTENT_TYPE)) {
                props.add(new StringProperty(MqttProperties.CONTENT_TYPE, String.valueOf(p.getValue())));
            } else if (!name.startsWith("JMS_MQTT_") && !(p.getValue() instanceof byte[])) {
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
