package io.junction.interop.mqtt;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.junction.interop.raw.RawStompClient.frame;
import static io.junction.interop.raw.RawStompClient.frameWithBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT and STOMP meet on the same topics (design section 2): MQTT {@code a/b/c} is STOMP
 * {@code /topic/a.b.c}, {@code +} is {@code *}, {@code #} is {@code >}.
 */
@Timeout(30)
class MqttStompCrossProtocolTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final MqttBroker broker = MqttBroker.reconnectAtOnce();

    @BeforeEach
    void junctionOnly() {
        MqttBroker.assumeJunction("STOMP and MQTT on one broker");
    }

    @Test
    void mqttPublishReachesStompSubscriber() throws Exception {
        try (RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2");
             PahoClient mqtt = PahoClient.connect(broker, "cross-pub")) {
            subscribe(stomp, "/topic/sensors.room1.temp");
            mqtt.publish("sensors/room1/temp", "21.5", 1, false);

            RawFrame message = stomp.readFrame();
            assertThat(message.command()).isEqualTo("MESSAGE");
            assertThat(message.header("destination")).isEqualTo("/topic/sensors.room1.temp");
            assertThat(message.bodyText()).isEqualTo("21.5");
        }
    }

    @Test
    void stompSendReachesMqttSubscriber() throws Exception {
        try (RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2");
             PahoClient mqtt = PahoClient.connect(broker, "cross-sub")) {
            mqtt.subscribe("sensors/room1/temp", 1);
            stomp.write(frameWithBody("SEND", "22.0", "destination:/topic/sensors.room1.temp", "receipt:sent"));
            assertThat(stomp.readFrame().header("receipt-id")).isEqualTo("sent");

            PahoClient.Received received = mqtt.await();
            assertThat(received.topic()).isEqualTo("sensors/room1/temp");
            assertThat(received.text()).isEqualTo("22.0");
            assertThat(received.retained()).isFalse();
        }
    }

    @Test
    void wildcardsMapBothWays() throws Exception {
        try (RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2");
             PahoClient mqtt = PahoClient.connect(broker, "cross-wild")) {
            subscribe(stomp, "/topic/sensors.*.temp");
            mqtt.subscribe("sensors/#", 1);

            mqtt.publish("sensors/room2/temp", "from mqtt", 1, false);
            RawFrame message = stomp.readFrame();
            assertThat(message.header("destination")).isEqualTo("/topic/sensors.room2.temp");
            assertThat(message.bodyText()).isEqualTo("from mqtt");
            assertThat(mqtt.await().text()).isEqualTo("from mqtt");

            stomp.write(frameWithBody("SEND", "from stomp", "destination:/topic/sensors.room3.humidity.max", "receipt:sent"));
            assertThat(stomp.readFrame().header("receipt-id")).isEqualTo("sent");
            PahoClient.Received received = mqtt.await();
            assertThat(received.topic()).isEqualTo("sensors/room3/humidity/max");
            assertThat(received.text()).isEqualTo("from stomp");
            mqtt.assertNoMessage(QUIET);
        }
    }

    @Test
    void binaryPayloadCrossesUnchanged() throws Exception {
        byte[] payload = new byte[256];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        try (RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2");
             PahoClient mqtt = PahoClient.connect(broker, "cross-binary")) {
            subscribe(stomp, "/topic/binary.data");
            mqtt.publish("binary/data", payload, 0, false);
            RawFrame message = stomp.readFrame();
            assertThat(message.body()).isEqualTo(payload);
            assertThat(message.header("content-length")).isEqualTo("256");
        }
    }

    private static void subscribe(RawStompClient stomp, String destination) throws Exception {
        stomp.write(frame("SUBSCRIBE", "id:1", "destination:" + destination, "receipt:subscribed"));
        RawFrame receipt = stomp.readFrame();
        assertThat(receipt.header("receipt-id")).as(receipt.toString()).isEqualTo("subscribed");
    }
}
