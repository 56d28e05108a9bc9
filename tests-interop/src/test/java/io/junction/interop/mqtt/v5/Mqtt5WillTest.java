package io.junction.interop.mqtt.v5;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.connect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5.0 sections 3.1.2.5 Will Flag, 3.1.3.2 Will Properties (will-delay-interval) and 3.14.2.1
 * (DISCONNECT with reason 0x04).
 */
@Timeout(30)
class Mqtt5WillTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    private static byte[] connectWithWill(String clientId, long sessionExpiry, Props willProps) {
        return connect(clientId, true, 30, Props.of().add(Props.SESSION_EXPIRY_INTERVAL, sessionExpiry),
                "will/" + clientId, ("gone:" + clientId).getBytes(StandardCharsets.UTF_8), willProps, 1, false);
    }

    private PahoV5 watcher() throws Exception {
        PahoV5 watcher = PahoV5.connected(broker.uri(), "will-watcher");
        watcher.client.subscribe("will/#", 1);
        return watcher;
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] [MQTT-3.1.3-9 context] an abnormal close publishes the will with its properties")
    void willOnAbnormalClose() throws Exception {
        try (PahoV5 watcher = watcher()) {
            RawMqtt5Client client = RawMqtt5Client.open(broker.port());
            client.send(connectWithWill("abrupt", 0, Props.of().add(Props.CONTENT_TYPE, "text/plain")
                    .user("reason", "power-loss").add(Props.PAYLOAD_FORMAT_INDICATOR, 1)));
            assertThat(client.expect(Packet.CONNACK).reasonCode).isZero();
            client.abort();
            PahoV5.Received will = watcher.next();
            assertThat(will.topic()).isEqualTo("will/abrupt");
            assertThat(will.text()).isEqualTo("gone:abrupt");
            assertThat(will.props().getContentType()).isEqualTo("text/plain");
            assertThat(will.props().getPayloadFormat()).isTrue();
            assertThat(will.props().getUserProperties()).extracting(u -> u.getKey() + "=" + u.getValue())
                    .containsExactly("reason=power-loss");
        }
    }

    @Test
    @DisplayName("[MQTT-3.14.4-3] [MQTT-3.1.2-10] DISCONNECT 0x00 discards the will")
    void noWillOnNormalDisconnect() throws Exception {
        try (PahoV5 watcher = watcher()) {
            try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
                client.send(connectWithWill("polite", 0, Props.of())).expect(Packet.CONNACK);
                client.send(RawMqtt5Client.disconnect(0x00, null));
                client.awaitClosed();
            }
            watcher.expectNothing(Duration.ofMillis(500));
        }
    }

    @Test
    @DisplayName("[3.14.2.1] DISCONNECT 0x04 (disconnect with will message) publishes the will (HiveMQ)")
    void willOnDisconnectWithWillMessage() throws Exception {
        try (PahoV5 watcher = watcher()) {
            Mqtt5BlockingClient client = Hive.builder(broker, "hive-will")
                    .willPublish().topic("will/hive-will").payload("bye".getBytes()).qos(MqttQos.AT_LEAST_ONCE)
                    .userProperties().add("via", "hivemq").applyUserProperties().applyWillPublish()
                    .buildBlocking();
            try {
                client.connect();
                client.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
            } finally {
                Hive.close(client);
            }
            PahoV5.Received will = watcher.next();
            assertThat(will.topic()).isEqualTo("will/hive-will");
            assertThat(will.text()).isEqualTo("bye");
            assertThat(will.props().getUserProperties()).extracting(u -> u.getKey() + "=" + u.getValue())
                    .containsExactly("via=hivemq");
        }
    }

    @Test
    @DisplayName("[3.1.3.2.2] will-delay-interval: the will is published after the delay")
    void willDelayed() throws Exception {
        try (PahoV5 watcher = watcher()) {
            RawMqtt5Client client = RawMqtt5Client.open(broker.port());
            client.send(connectWithWill("delayed", 30, Props.of().add(Props.WILL_DELAY_INTERVAL, 1L)))
                    .expect(Packet.CONNACK);
            long closed = System.nanoTime();
            client.abort();
            PahoV5.Received will = watcher.next();
            long millis = (System.nanoTime() - closed) / 1_000_000;
            assertThat(will.topic()).isEqualTo("will/delayed");
            assertThat(millis).as("published after %d ms", millis).isGreaterThanOrEqualTo(900);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-9] a reconnect before the will delay has passed: no will")
    void reconnectCancelsDelayedWill() throws Exception {
        try (PahoV5 watcher = watcher()) {
            RawMqtt5Client client = RawMqtt5Client.open(broker.port());
            client.send(connectWithWill("back", 30, Props.of().add(Props.WILL_DELAY_INTERVAL, 2L)))
                    .expect(Packet.CONNACK);
            client.abort();
            try (RawMqtt5Client again = RawMqtt5Client.open(broker.port())) {
                Packet connack = again.send(connect("back", false, 30,
                        Props.of().add(Props.SESSION_EXPIRY_INTERVAL, 30L))).expect(Packet.CONNACK);
                assertThat(connack.sessionPresent).isTrue();
                watcher.expectNothing(Duration.ofMillis(2500));
                again.send(RawMqtt5Client.disconnect(0, null));
            }
        }
    }

    @Test
    @DisplayName("[3.1.3.2.2] the will is published when the session ends, if that is before the will delay")
    void willAtSessionEnd() throws Exception {
        try (PahoV5 watcher = watcher()) {
            RawMqtt5Client client = RawMqtt5Client.open(broker.port());
            client.send(connectWithWill("short-session", 1, Props.of().add(Props.WILL_DELAY_INTERVAL, 20L)))
                    .expect(Packet.CONNACK);
            client.abort();
            PahoV5.Received will = watcher.next(); // within 5 s, long before the 20 s delay
            assertThat(will.topic()).isEqualTo("will/short-session");
        }
    }

    @Test
    @DisplayName("[3.1.3.2.2] session-expiry 0 with a will delay: the will is published at once with the "
            + "session's end")
    void willWithNoSession() throws Exception {
        broker.assumeJunction("Mosquitto 2.0.11 waits for the will delay although the session has ended");
        try (PahoV5 watcher = watcher()) {
            RawMqtt5Client client = RawMqtt5Client.open(broker.port());
            client.send(connectWithWill("no-session", 0, Props.of().add(Props.WILL_DELAY_INTERVAL, 20L)))
                    .expect(Packet.CONNACK);
            client.abort();
            assertThat(watcher.next().topic()).isEqualTo("will/no-session");
        }
    }
}
