package io.junction.interop.mqtt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.junction.interop.mqtt.MqttBytes.connect;
import static io.junction.interop.mqtt.MqttBytes.disconnect;
import static io.junction.interop.mqtt.MqttBytes.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 3.1.1 section 3.2 CONNACK: the session-present flag and refusals. */
@Timeout(30)
class Mqtt311Section3_2ConnackTest {

    @RegisterExtension
    final MqttBroker broker = MqttBroker.reconnectAtOnce();

    @Test
    @DisplayName("[MQTT-3.2.2-1] clean session 1: session present 0, even after a persistent session with that id")
    void cleanSessionGetsSessionPresentZero() throws Exception {
        persistentSessionWithSubscription("connack-clean");
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("connack-clean").cleanSession(true))) {
            assertThat(client.connack().sessionPresent()).isFalse();
        }
    }

    @Test
    @DisplayName("[MQTT-3.2.2-2] clean session 0 with a stored session: session present 1")
    void resumedSessionGetsSessionPresentOne() throws Exception {
        persistentSessionWithSubscription("connack-resume");
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("connack-resume").cleanSession(false))) {
            assertThat(client.connack().sessionPresent()).isTrue();
            assertThat(client.connack().returnCode()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-3.2.2-3] clean session 0 without a stored session: session present 0")
    void newPersistentSessionGetsSessionPresentZero() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("connack-new").cleanSession(false))) {
            assertThat(client.connack().sessionPresent()).isFalse();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-6] a clean session discards the stored one: a later clean-session-0 CONNECT finds none")
    void cleanSessionDiscardsTheStoredSession() throws Exception {
        persistentSessionWithSubscription("connack-discard");
        try (RawMqttClient clean = RawMqttClient.connected(broker.port(), connect("connack-discard").cleanSession(true))) {
            clean.send(disconnect());
            clean.awaitClosed();
        }
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("connack-discard").cleanSession(false))) {
            assertThat(client.connack().sessionPresent()).isFalse();
        }
    }

    @Test
    @DisplayName("[MQTT-3.2.2-4] [MQTT-3.2.2-5] a refusing CONNACK has session present 0 and the server closes the connection")
    void refusalHasSessionPresentZeroAndCloses() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.send(connect("connack-refused").protocol("MQTT", 42).bytes());
            MqttPacket connack = client.expect(MqttPacket.CONNACK);
            assertThat(connack.returnCode()).isEqualTo(0x01);
            assertThat(connack.sessionPresent()).isFalse();
            client.awaitClosed();
        }
    }

    private void persistentSessionWithSubscription(String clientId) throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect(clientId).cleanSession(false))) {
            client.send(subscribe(1, "connack/" + clientId, 1));
            assertThat(client.expect(MqttPacket.SUBACK).grantedQos()).containsExactly(1);
            client.send(disconnect());
            client.awaitClosed();
        }
    }
}
