package io.junction.mqtt;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MqttMessagesTest {

    private static final long NOW = 1_000_000L;

    @Test
    void mqtt5PropertiesBecomeMessageFieldsAndComeBack() {
        MqttProperties in = new MqttProperties();
        in.add(new IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
        in.add(new IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 10));
        in.add(new StringProperty(MqttProperties.CONTENT_TYPE, "application/json"));
        in.add(new StringProperty(MqttProperties.RESPONSE_TOPIC, "replies/1"));
        in.add(new BinaryProperty(MqttProperties.CORRELATION_DATA, "req-7".getBytes(StandardCharsets.UTF_8)));
        UserProperties user = new UserProperties();
        user.add("region", "eu");
        in.add(user);

        Message m = MqttMessages.toCore(Destination.topic("a.b"), 1, true, "{}".getBytes(StandardCharsets.UTF_8),
                in, NOW);

        assertThat(m.persistent()).isTrue();
        assertThat(m.bodyType()).isEqualTo(BodyType.TEXT);
        assertThat(m.expiration()).isEqualTo(NOW + 10_000);
        assertThat(m.property("content-type")).isEqualTo("application/json");
        assertThat(m.replyTo()).isEqualTo(Destination.topic("replies.1"));
        assertThat(m.correlationId()).isEqualTo("req-7");
        assertThat(m.property("region")).isEqualTo("eu");
        assertThat(MqttMessages.publishedQos(m)).isEqualTo(1);
        assertThat(MqttMessages.publishedRetained(m)).isTrue();

        MqttProperties out = MqttMessages.properties(m, NOW + 2_500);
        assertThat(out.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR).value()).isEqualTo(1);
        // 7.5 s are left; the interval is rounded up so the message is not cut short.
        assertThat(out.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL).value()).isEqualTo(8);
        assertThat(out.getProperty(MqttProperties.CONTENT_TYPE).value()).isEqualTo("application/json");
        assertThat(out.getProperty(MqttProperties.RESPONSE_TOPIC).value()).isEqualTo("replies/1");
        assertThat((byte[]) out.getProperty(MqttProperties.CORRELATION_DATA).value())
                .isEqualTo("req-7".getBytes(StandardCharsets.UTF_8));
        UserProperties back = (UserProperties) out.getProperty(MqttProperties.USER_PROPERTY);
        assertThat(back.value()).extracting(p -> p.key + "=" + p.value).containsExactly("region=eu");
    }

    @Test
    void binaryCorrelationDataIsKeptAsBytes() {
        MqttProperties in = new MqttProperties();
        byte[] binary = {(byte) 0xC3, 0x28};
        in.add(new BinaryProperty(MqttProperties.CORRELATION_DATA, binary));

        Message m = MqttMessages.toCore(Destination.topic("a"), 0, false, new byte[] {1}, in, NOW);

        assertThat(m.correlationId()).isNull();
        assertThat(m.persistent()).isFalse();
        assertThat(m.bodyType()).isEqualTo(BodyType.BYTES);
        assertThat((byte[]) MqttMessages.properties(m, NOW).getProperty(MqttProperties.CORRELATION_DATA).value())
                .isEqualTo(binary);
    }

    @Test
    void publishedQosIsKeptForEachLevel() {
        for (int qos = 0; qos <= 2; qos++) {
            Message m = MqttMessages.toCore(Destination.topic("a"), qos, false, new byte[0],
                    MqttProperties.NO_PROPERTIES, NOW);
            assertThat(MqttMessages.publishedQos(m)).isEqualTo(qos);
        }
    }

    @Test
    void messageFromAnotherProtocolGoesByItsPersistence() {
        Message persistent = Message.builder(Destination.topic("a")).persistent(true).textBody("hi").build();
        Message nonPersistent = Message.builder(Destination.topic("a")).persistent(false).textBody("hi").build();
        assertThat(MqttMessages.publishedQos(persistent)).isEqualTo(2);
        assertThat(MqttMessages.publishedQos(nonPersistent)).isZero();
        assertThat(MqttMessages.publishedRetained(persistent)).isFalse();
    }
}
