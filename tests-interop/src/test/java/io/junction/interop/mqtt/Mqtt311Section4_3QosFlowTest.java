package io.junction.interop.mqtt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.junction.interop.mqtt.MqttBytes.connect;
import static io.junction.interop.mqtt.MqttBytes.publish;
import static io.junction.interop.mqtt.MqttBytes.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 3.1.1 sections 4.3 (QoS levels and protocol flows, both directions) and 4.6 (message
 * ordering), with a raw client on the side under test so every packet is visible.
 */
@Timeout(30)
class Mqtt311Section4_3QosFlowTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final MqttBroker broker = MqttBroker.reconnectAtOnce();

    @Test
    @DisplayName("[MQTT-4.3.2-1] [MQTT-2.3.1-1] QoS 1 to a subscriber: PUBLISH with a non-zero packet identifier, DUP 0")
    void qos1ToSubscriber() throws Exception {
        try (RawMqttClient subscriber = RawMqttClient.connected(broker.port(), connect("q1-sub"));
             PahoClient publisher = PahoClient.connect(broker, "q1-pub")) {
            subscriber.send(subscribe(1, "flow/q1", 1)).expect(MqttPacket.SUBACK);
            publisher.publish("flow/q1", "one", 1, false);
            MqttPacket delivery = subscriber.expect(MqttPacket.PUBLISH);
            assertThat(delivery.qos()).isEqualTo(1);
            assertThat(delivery.dup()).isFalse();
            assertThat(delivery.retain()).isFalse();
            assertThat(delivery.packetId()).isNotZero();
            assertThat(delivery.payloadText()).isEqualTo("one");
            subscriber.send(MqttBytes.puback(delivery.packetId()));
            assertThat(subscriber.poll(QUIET)).as("nothing more once acknowledged").isNull();
        }
    }

    @Test
    @DisplayName("[MQTT-4.3.3-1] [MQTT-3.6.1-1] QoS 2 to a subscriber: PUBLISH, PUBREC, PUBREL (flags 0010), PUBCOMP")
    void qos2ToSubscriber() throws Exception {
        try (RawMqttClient subscriber = RawMqttClient.connected(broker.port(), connect("q2-sub"));
             PahoClient publisher = PahoClient.connect(broker, "q2-pub")) {
            subscriber.send(subscribe(1, "flow/q2", 2)).expect(MqttPacket.SUBACK);
            publisher.publish("flow/q2", "two", 2, false);
            MqttPacket delivery = subscriber.expect(MqttPacket.PUBLISH);
            assertThat(delivery.qos()).isEqualTo(2);
            assertThat(delivery.dup()).isFalse();
            assertThat(delivery.packetId()).isNotZero();
            subscriber.send(MqttBytes.pubrec(delivery.packetId()));
            MqttPacket pubrel = subscriber.expect(MqttPacket.PUBREL);
            assertThat(pubrel.flags()).isEqualTo(0b0010);
            assertThat(pubrel.packetId()).isEqualTo(delivery.packetId());
            subscriber.send(MqttBytes.pubcomp(delivery.packetId()));
            assertThat(subscriber.poll(QUIET)).isNull();
        }
    }

    @Test
    @DisplayName("[MQTT-4.3.3-2] QoS 2 from a client: a re-sent PUBLISH (DUP 1) before PUBREL is not delivered twice")
    void qos2FromClientIsDeliveredOnce() throws Exception {
        try (PahoClient subscriber = PahoClient.connect(broker, "once-sub");
             RawMqttClient publisher = RawMqttClient.connected(broker.port(), connect("once-pub"))) {
            subscriber.subscribe("flow/once", 2);
            byte[] payload = "exactly once".getBytes(StandardCharsets.UTF_8);
            publisher.send(publish("flow/once".getBytes(StandardCharsets.UTF_8), 2, false, false, 42, payload));
            assertThat(publisher.expect(MqttPacket.PUBREC).packetId()).isEqualTo(42);
            publisher.send(publish("flow/once".getBytes(StandardCharsets.UTF_8), 2, false, true, 42, payload));
            assertThat(publisher.expect(MqttPacket.PUBREC).packetId()).isEqualTo(42);
            publisher.send(MqttBytes.pubrel(42));
            assertThat(publisher.expect(MqttPacket.PUBCOMP).packetId()).isEqualTo(42);
            // the identifier is free again: a new message with it is a new message
            publisher.send(publish("flow/once".getBytes(StandardCharsets.UTF_8), 2, false, false, 42,
                    "again".getBytes(StandardCharsets.UTF_8)));
            assertThat(publisher.expect(MqttPacket.PUBREC).packetId()).isEqualTo(42);
            publisher.send(MqttBytes.pubrel(42));
            assertThat(publisher.expect(MqttPacket.PUBCOMP).packetId()).isEqualTo(42);

            assertThat(subscriber.await(2)).extracting(PahoClient.Received::text).containsExactly("exactly once", "again");
            subscriber.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-4.3.2-2] a re-sent QoS 1 PUBLISH (DUP 1) is acknowledged again")
    void qos1ResendIsAcknowledged() throws Exception {
        try (RawMqttClient publisher = RawMqttClient.connected(broker.port(), connect("q1-resend"))) {
            byte[] topic = "flow/resend".getBytes(StandardCharsets.UTF_8);
            publisher.send(publish(topic, 1, false, false, 5, new byte[] {1}));
            assertThat(publisher.expect(MqttPacket.PUBACK).packetId()).isEqualTo(5);
            publisher.send(publish(topic, 1, false, true, 5, new byte[] {1}));
            assertThat(publisher.expect(MqttPacket.PUBACK).packetId()).isEqualTo(5);
        }
    }

    @Test
    @DisplayName("[MQTT-4.6.0-6] a topic is ordered: QoS 1 messages arrive in the order they were published")
    void qos1MessagesKeepTheirOrder() throws Exception {
        int count = 200;
        try (PahoClient subscriber = PahoClient.connect(broker, "order-sub");
             RawMqttClient publisher = RawMqttClient.connected(broker.port(), connect("order-pub"))) {
            subscriber.subscribe("flow/order", 1);
            // pipelined: all PUBLISHes before any PUBACK is read
            List<byte[]> packets = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                packets.add(publish("flow/order", 1, false, i, Integer.toString(i)));
            }
            publisher.send(MqttBytes.concat(packets.toArray(byte[][]::new)));
            for (int i = 1; i <= count; i++) {
                assertThat(publisher.expect(MqttPacket.PUBACK).packetId()).as("[MQTT-4.6.0-2] PUBACKs in order").isEqualTo(i);
            }
            List<String> received = subscriber.await(count).stream().map(PahoClient.Received::text).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                expected.add(Integer.toString(i));
            }
            assertThat(received).containsExactlyElementsOf(expected);
        }
    }
}
