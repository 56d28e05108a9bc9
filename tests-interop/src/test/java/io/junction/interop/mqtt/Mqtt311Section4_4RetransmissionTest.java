package io.junction.interop.mqtt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.junction.interop.mqtt.MqttBytes.connect;
import static io.junction.interop.mqtt.MqttBytes.publish;
import static io.junction.interop.mqtt.MqttBytes.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 3.1.1 section 4.4 (message delivery retry): unacknowledged PUBLISH and PUBREL packets are
 * re-sent when a client resumes its session, PUBLISH with DUP 1 [MQTT-3.3.1-1].
 */
@Timeout(30)
class Mqtt311Section4_4RetransmissionTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final MqttBroker broker = MqttBroker.reconnectAtOnce();

    @Test
    @DisplayName("[MQTT-4.4.0-1] [MQTT-3.3.1-1] an unacknowledged QoS 1 PUBLISH is re-sent with DUP 1 and the same identifier")
    void unacknowledgedQos1IsResentWithDup() throws Exception {
        MqttPacket first = receiveWithoutAcknowledging("retry-q1", 1);
        try (RawMqttClient resumed = RawMqttClient.connected(broker.port(), connect("retry-q1").cleanSession(false))) {
            assertThat(resumed.connack().sessionPresent()).isTrue();
            MqttPacket again = resumed.expect(MqttPacket.PUBLISH);
            assertThat(again.dup()).isTrue();
            assertThat(again.qos()).isEqualTo(1);
            assertThat(again.packetId()).isEqualTo(first.packetId());
            assertThat(again.topic()).isEqualTo(first.topic());
            assertThat(again.payloadText()).isEqualTo("retry me");
            resumed.send(MqttBytes.puback(again.packetId()));
            assertThat(resumed.poll(QUIET)).isNull();
        }
        try (RawMqttClient later = RawMqttClient.connected(broker.port(), connect("retry-q1").cleanSession(false))) {
            assertThat(later.poll(QUIET)).as("acknowledged: not sent a third time").isNull();
        }
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] [MQTT-3.3.1-1] a QoS 2 PUBLISH without PUBREC is re-sent with DUP 1")
    void unacknowledgedQos2IsResentWithDup() throws Exception {
        MqttPacket first = receiveWithoutAcknowledging("retry-q2", 2);
        try (RawMqttClient resumed = RawMqttClient.connected(broker.port(), connect("retry-q2").cleanSession(false))) {
            MqttPacket again = resumed.expect(MqttPacket.PUBLISH);
            assertThat(again.dup()).isTrue();
            assertThat(again.qos()).isEqualTo(2);
            assertThat(again.packetId()).isEqualTo(first.packetId());
            resumed.send(MqttBytes.pubrec(again.packetId()));
            assertThat(resumed.expect(MqttPacket.PUBREL).packetId()).isEqualTo(again.packetId());
            resumed.send(MqttBytes.pubcomp(again.packetId()));
            assertThat(resumed.poll(QUIET)).isNull();
        }
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] after PUBREC the server re-sends PUBREL, not the PUBLISH")
    void pubrelIsResentAfterPubrec() throws Exception {
        int packetId;
        try (RawMqttClient subscriber = subscribed("retry-rel", 2)) {
            publishFromPaho("retry/retry-rel", 2);
            MqttPacket delivery = subscriber.expect(MqttPacket.PUBLISH);
            packetId = delivery.packetId();
            subscriber.send(MqttBytes.pubrec(packetId));
            assertThat(subscriber.expect(MqttPacket.PUBREL).packetId()).isEqualTo(packetId);
            subscriber.abort();
        }
        try (RawMqttClient resumed = RawMqttClient.connected(broker.port(), connect("retry-rel").cleanSession(false))) {
            MqttPacket pubrel = resumed.read();
            assertThat(pubrel.type()).as("PUBREL, got " + pubrel).isEqualTo(MqttPacket.PUBREL);
            assertThat(pubrel.flags()).isEqualTo(0b0010);
            assertThat(pubrel.packetId()).isEqualTo(packetId);
            resumed.send(MqttBytes.pubcomp(packetId));
            assertThat(resumed.poll(QUIET)).as("no PUBLISH again").isNull();
        }
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] [MQTT-4.3.3-2] a client resuming after PUBREC sends PUBREL: one delivery, PUBCOMP")
    void clientPubrelAfterReconnectCompletesTheFlow() throws Exception {
        try (PahoClient subscriber = PahoClient.connect(broker, "resume-rel-sub")) {
            subscriber.subscribe("retry/client-rel", 2);
            byte[] topic = "retry/client-rel".getBytes(StandardCharsets.UTF_8);
            try (RawMqttClient publisher = RawMqttClient.connected(broker.port(), connect("resume-rel-pub").cleanSession(false))) {
                publisher.send(publish(topic, 2, false, false, 77, "once".getBytes(StandardCharsets.UTF_8)));
                assertThat(publisher.expect(MqttPacket.PUBREC).packetId()).isEqualTo(77);
                publisher.abort();
            }
            try (RawMqttClient resumed = RawMqttClient.connected(broker.port(), connect("resume-rel-pub").cleanSession(false))) {
                assertThat(resumed.connack().sessionPresent()).isTrue();
                resumed.send(publish(topic, 2, false, true, 77, "once".getBytes(StandardCharsets.UTF_8)));
                assertThat(resumed.expect(MqttPacket.PUBREC).packetId()).isEqualTo(77);
                resumed.send(MqttBytes.pubrel(77));
                assertThat(resumed.expect(MqttPacket.PUBCOMP).packetId()).isEqualTo(77);
            }
            assertThat(subscriber.await().text()).isEqualTo("once");
            subscriber.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] Paho resuming its session gets the message it had not acknowledged")
    void pahoGetsTheRetransmission() throws Exception {
        receiveWithoutAcknowledging("retry-paho", 1);
        try (PahoClient resumed = PahoClient.connect(broker.uri(), "retry-paho", PahoClient.options(false))) {
            PahoClient.Received received = resumed.await();
            assertThat(received.text()).isEqualTo("retry me");
            assertThat(received.message().isDuplicate()).isTrue();
        }
    }

    /** A persistent session subscribed at the QoS, a message received and not acknowledged, an abrupt close. */
    private MqttPacket receiveWithoutAcknowledging(String clientId, int qos) throws Exception {
        try (RawMqttClient subscriber = subscribed(clientId, qos)) {
            publishFromPaho("retry/" + clientId, qos);
            MqttPacket delivery = subscriber.expect(MqttPacket.PUBLISH);
            assertThat(delivery.dup()).isFalse();
            subscriber.abort();
            return delivery;
        }
    }

    private RawMqttClient subscribed(String clientId, int qos) throws Exception {
        RawMqttClient subscriber = RawMqttClient.connected(broker.port(), connect(clientId).cleanSession(false));
        subscriber.send(subscribe(1, "retry/" + clientId, qos));
        assertThat(subscriber.expect(MqttPacket.SUBACK).grantedQos()).containsExactly(qos);
        return subscriber;
    }

    private void publishFromPaho(String topic, int qos) throws Exception {
        try (PahoClient publisher = PahoClient.connect(broker, "retry-publisher")) {
            publisher.publish(topic, "retry me", qos, false);
        }
    }
}
