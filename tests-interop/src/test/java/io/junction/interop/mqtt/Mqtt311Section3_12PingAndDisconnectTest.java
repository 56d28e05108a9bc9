package io.junction.interop.mqtt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.junction.interop.mqtt.MqttBytes.connect;
import static io.junction.interop.mqtt.MqttBytes.disconnect;
import static io.junction.interop.mqtt.MqttBytes.pingreq;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 3.1.1 sections 3.12 PINGREQ, 3.13 PINGRESP and 3.14 DISCONNECT. */
@Timeout(30)
class Mqtt311Section3_12PingAndDisconnectTest {

    @RegisterExtension
    final MqttBroker broker = MqttBroker.reconnectAtOnce();

    @Test
    @DisplayName("[MQTT-3.12.4-1] the server answers PINGREQ with PINGRESP (0xD0 0x00)")
    void pingreqGetsPingresp() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("ping"))) {
            client.send(MqttBytes.concat(pingreq(), pingreq()));
            for (int i = 0; i < 2; i++) {
                MqttPacket pingresp = client.read();
                assertThat(pingresp.firstByte()).isEqualTo(0xd0);
                assertThat(pingresp.body()).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("[MQTT-2.2.2-2] PINGREQ with reserved flags set closes the connection")
    void pingreqWithFlagsClosesTheConnection() throws Exception {
        // Mosquitto 2.0.11 ignores these flags and answers; [MQTT-2.2.2-2] says the receiver MUST close

        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("ping-flags"))) {
            client.sendQuietly(new byte[] {(byte) 0xc1, 0});
            assertThat(client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)).as("no PINGRESP").isEmpty();
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    @DisplayName("[MQTT-3.14.4-1] after DISCONNECT the server closes the connection")
    void disconnectEndsTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("bye"))) {
            client.send(disconnect());
            assertThat(client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)).as("nothing sent after DISCONNECT").isEmpty();
        }
    }

    @Test
    @DisplayName("[MQTT-3.14.1-1] DISCONNECT with reserved flags set closes the connection and keeps the will")
    void disconnectWithFlagsIsAViolation() throws Exception {
        try (PahoClient watcher = PahoClient.connect(broker, "bad-bye-watcher")) {
            watcher.subscribe("bad-bye/will", 1);
            try (RawMqttClient client = RawMqttClient.connected(broker.port(),
                    connect("bad-bye").will("bad-bye/will", "not a real DISCONNECT", 1, false))) {
                client.sendQuietly(new byte[] {(byte) 0xe2, 0});
                client.awaitClosed();
            }
            assertThat(watcher.await().text()).as("a malformed DISCONNECT does not discard the will").isEqualTo("not a real DISCONNECT");
        }
    }
}
