package io.junction.interop.mqtt.v5;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5.0 section 3.3.2.3 PUBLISH properties: payload-format-indicator, content-type,
 * response-topic, correlation-data and user properties reach every subscriber unaltered.
 */
@Timeout(30)
class Mqtt5MessagePropertiesTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    private static MqttProperties fullProperties() {
        MqttProperties props = new MqttProperties();
        props.setPayloadFormat(true);
        props.setContentType("application/json; charset=utf-8");
        props.setResponseTopic("replies/client-7");
        props.setCorrelationData(new byte[] {0, 1, 2, (byte) 0xff, 'x'});
        props.setUserProperties(List.of(new UserProperty("b-key", "1"), new UserProperty("a-key", "two"),
                new UserProperty("b-key", "3"), new UserProperty("ünïcode", "välue ✓")));
        return props;
    }

    private static void assertFullProperties(MqttProperties props) {
        assertThat(props.getPayloadFormat()).as("[MQTT-3.3.2-4] payload format indicator").isTrue();
        assertThat(props.getContentType()).as("[MQTT-3.3.2-20] content type")
                .isEqualTo("application/json; charset=utf-8");
        assertThat(props.getResponseTopic()).as("[MQTT-3.3.2-15] response topic").isEqualTo("replies/client-7");
        assertThat(props.getCorrelationData()).as("[MQTT-3.3.2-16] correlation data")
                .containsExactly(0, 1, 2, 0xff, 'x');
        assertThat(props.getUserProperties()).as("[MQTT-3.3.2-17] [MQTT-3.3.2-18] user properties, in order")
                .extracting(u -> u.getKey() + "=" + u.getValue())
                .containsExactly("b-key=1", "a-key=two", "b-key=3", "ünïcode=välue ✓");
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @DisplayName("[MQTT-3.3.2-4] [MQTT-3.3.2-15..18] [MQTT-3.3.2-20] properties arrive unaltered (Paho)")
    void propertiesArriveUnaltered(int qos) throws Exception {
        try (PahoV5 subscriber = PahoV5.connected(broker.uri(), "props-sub");
             PahoV5 publisher = PahoV5.connected(broker.uri(), "props-pub")) {
            subscriber.client.subscribe("props/t", 2);
            publisher.publish("props/t", "{\"t\":21.5}", qos, fullProperties());
            PahoV5.Received received = subscriber.next();
            assertThat(received.text()).isEqualTo("{\"t\":21.5}");
            assertFullProperties(received.props());
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-15..18] properties survive a stay in an offline session's queue")
    void propertiesSurviveQueueing() throws Exception {
        var options = PahoV5.options();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(60L);
        try (PahoV5 subscriber = PahoV5.connected(broker.uri(), "props-away", options)) {
            subscriber.client.subscribe("props/away", 1);
            subscriber.disconnect();
            try (PahoV5 publisher = PahoV5.connected(broker.uri(), "props-pub2")) {
                publisher.publish("props/away", "queued", 1, fullProperties());
            }
            options.setCleanStart(false);
            subscriber.client.connect(options);
            PahoV5.Received received = subscriber.next();
            assertThat(received.text()).isEqualTo("queued");
            assertFullProperties(received.props());
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-4] [MQTT-3.3.2-17] a message without properties arrives without them")
    void noPropertiesAddedToPlainMessage() throws Exception {
        try (RawMqtt5Client subscriber = RawMqtt5Client.connected(broker.port(), "plain-sub", Props.of());
             PahoV5 publisher = PahoV5.connected(broker.uri(), "plain-pub")) {
            subscriber.send(RawMqtt5Client.subscribe(1, null, "props/plain", 1)).expect(Packet.SUBACK);
            publisher.publish("props/plain", "bare", 1, false);
            Packet publish = subscriber.expect(Packet.PUBLISH);
            assertThat(publish.payloadText()).isEqualTo("bare");
            for (int id : new int[] {Props.PAYLOAD_FORMAT_INDICATOR, Props.CONTENT_TYPE, Props.RESPONSE_TOPIC,
                Props.CORRELATION_DATA, Props.USER_PROPERTY, Props.MESSAGE_EXPIRY_INTERVAL}) {
                assertThat(publish.props.has(id)).as("0x%s in %s", Integer.toHexString(id), publish).isFalse();
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-17] [MQTT-3.3.2-18] HiveMQ: user properties and the other properties unaltered")
    void hiveMqProperties() throws Exception {
        Mqtt5BlockingClient subscriber = Hive.client(broker, "hive-props-sub");
        Mqtt5BlockingClient publisher = Hive.client(broker, "hive-props-pub");
        try {
            subscriber.connect();
            publisher.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                subscriber.subscribeWith().topicFilter("props/hive/#").qos(MqttQos.EXACTLY_ONCE).send();
                publisher.publishWith().topic("props/hive/x").qos(MqttQos.AT_LEAST_ONCE)
                        .payload("hello".getBytes(StandardCharsets.UTF_8))
                        .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                        .contentType("text/plain")
                        .responseTopic("props/hive/reply")
                        .correlationData("req-42".getBytes(StandardCharsets.UTF_8))
                        .userProperties().add("k", "v1").add("k", "v2").add("other", "").applyUserProperties()
                        .send();
                Optional<Mqtt5Publish> received = publishes.receive(5, TimeUnit.SECONDS);
                assertThat(received).isPresent();
                Mqtt5Publish p = received.get();
                assertThat(p.getTopic().toString()).isEqualTo("props/hive/x");
                assertThat(p.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
                assertThat(p.getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UTF_8);
                assertThat(p.getContentType().map(Object::toString)).contains("text/plain");
                assertThat(p.getResponseTopic().map(Object::toString)).contains("props/hive/reply");
                assertThat(p.getCorrelationData().map(b -> StandardCharsets.UTF_8.decode(b).toString()))
                        .contains("req-42");
                assertThat(p.getUserProperties().asList())
                        .extracting(Mqtt5UserProperty::getName, Mqtt5UserProperty::getValue)
                        .map(t -> t.toList().get(0) + "=" + t.toList().get(1))
                        .containsExactly("k=v1", "k=v2", "other=");
            }
        } finally {
            Hive.close(subscriber);
            Hive.close(publisher);
        }
    }
}
