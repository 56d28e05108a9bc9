package io.junction.interop.mqtt.v5;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.junction.interop.raw.RawStompClient.frame;
import static io.junction.interop.raw.RawStompClient.frameWithBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Junction's design, section 3: MQTT 5 properties meet STOMP headers. User properties <-> headers,
 * content-type <-> content-type, correlation-data (UTF-8) <-> correlation-id, response-topic <->
 * reply-to, message-expiry-interval <-> expires; MQTT {@code a/b/c} is STOMP {@code /topic/a.b.c}.
 */
@Timeout(30)
class Mqtt5CrossProtocolTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    private RawStompClient stompSubscriber(String destination) throws Exception {
        RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2");
        stomp.write(frame("SUBSCRIBE", "id:1", "destination:" + destination, "receipt:subscribed"));
        RawFrame receipt = stomp.readFrame();
        assertThat(receipt.command()).as("%s", receipt).isEqualTo("RECEIPT");
        return stomp;
    }

    @Test
    @DisplayName("MQTT 5 sensors/room1/temp with properties -> STOMP /topic/sensors.room1.temp with headers")
    void mqttToStomp() throws Exception {
        try (RawStompClient stomp = stompSubscriber("/topic/sensors.room1.temp");
             PahoV5 publisher = PahoV5.connected(broker.uri(), "xp-pub")) {
            MqttProperties props = new MqttProperties();
            props.setUserProperties(List.of(new UserProperty("unit", "celsius"), new UserProperty("site", "hq")));
            props.setContentType("text/plain");
            props.setCorrelationData("corr-1".getBytes(StandardCharsets.UTF_8));
            props.setResponseTopic("replies/a");
            props.setMessageExpiryInterval(60L);
            props.setPayloadFormat(true);
            long before = System.currentTimeMillis();
            publisher.publish("sensors/room1/temp", "21.5", 1, props);

            RawFrame message = stomp.readFrame();
            assertThat(message.command()).isEqualTo("MESSAGE");
            assertThat(message.bodyText()).isEqualTo("21.5");
            assertThat(message.header("destination")).isEqualTo("/topic/sensors.room1.temp");
            assertThat(message.header("unit")).isEqualTo("celsius");
            assertThat(message.header("site")).isEqualTo("hq");
            assertThat(message.header("content-type")).isEqualTo("text/plain");
            assertThat(message.header("correlation-id")).isEqualTo("corr-1");
            assertThat(message.header("reply-to")).isEqualTo("/topic/replies.a");
            long expires = Long.parseLong(message.header("expires"));
            assertThat(expires).isBetween(before + 58_000, System.currentTimeMillis() + 60_000);
        }
    }

    @Test
    @DisplayName("STOMP /topic/sensors.room1.temp with headers -> MQTT 5 sensors/room1/temp with properties")
    void stompToMqtt() throws Exception {
        try (PahoV5 subscriber = PahoV5.connected(broker.uri(), "xp-sub");
             RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2")) {
            subscriber.client.subscribe("sensors/+/temp", 1);
            long expires = System.currentTimeMillis() + 60_000;
            stomp.write(frameWithBody("SEND", "22.0", "destination:/topic/sensors.room1.temp",
                    "content-type:text/plain", "correlation-id:corr-2", "reply-to:/topic/replies.b",
                    "expires:" + expires, "unit:kelvin", "receipt:sent"));
            assertThat(stomp.readFrame().command()).isEqualTo("RECEIPT");

            PahoV5.Received received = subscriber.next();
            assertThat(received.topic()).isEqualTo("sensors/room1/temp");
            assertThat(received.text()).isEqualTo("22.0");
            MqttProperties props = received.props();
            assertThat(props.getUserProperties()).extracting(u -> u.getKey() + "=" + u.getValue())
                    .contains("unit=kelvin");
            assertThat(props.getContentType()).isEqualTo("text/plain");
            assertThat(props.getCorrelationData()).isNotNull();
            assertThat(new String(props.getCorrelationData(), StandardCharsets.UTF_8)).isEqualTo("corr-2");
            assertThat(props.getResponseTopic()).isEqualTo("replies/b");
            assertThat(props.getMessageExpiryInterval()).isNotNull().isBetween(58L, 60L);
        }
    }

    @Test
    @DisplayName("MQTT 5 wildcard subscription sensors/# receives STOMP sends to sensors.* topics; "
            + "STOMP /topic/sensors.> receives MQTT publishes")
    void wildcardsBothWays() throws Exception {
        try (PahoV5 mqtt = PahoV5.connected(broker.uri(), "xp-wild");
             RawStompClient stomp = stompSubscriber("/topic/sensors.>")) {
            mqtt.client.subscribe("sensors/#", 0);
            try (RawStompClient sender = RawStompClient.connected(broker.stompPort(), "1.2")) {
                sender.write(frameWithBody("SEND", "s", "destination:/topic/sensors.a.b", "receipt:r"));
                assertThat(sender.readFrame().command()).isEqualTo("RECEIPT");
            }
            PahoV5.Received fromStomp = mqtt.next();
            assertThat(fromStomp.topic()).isEqualTo("sensors/a/b");
            assertThat(stomp.readFrame().bodyText()).isEqualTo("s"); // its own copy of the STOMP send

            mqtt.publish("sensors/x/y/z", "m", 0, false);
            RawFrame fromMqtt = stomp.readFrame();
            assertThat(fromMqtt.header("destination")).isEqualTo("/topic/sensors.x.y.z");
            assertThat(fromMqtt.bodyText()).isEqualTo("m");
        }
    }
}
