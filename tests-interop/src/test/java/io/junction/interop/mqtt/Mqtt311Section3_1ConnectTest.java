package io.junction.interop.mqtt;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;

import static io.junction.interop.mqtt.MqttBytes.connect;
import static io.junction.interop.mqtt.MqttBytes.disconnect;
import static io.junction.interop.mqtt.MqttBytes.pingreq;
import static io.junction.interop.mqtt.MqttBytes.publish;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 3.1.1 section 3.1 CONNECT (and the 3.1 protocol level): what the server must do with each CONNECT. */
@Timeout(30)
class Mqtt311Section3_1ConnectTest {

    @RegisterExtension
    final MqttBroker broker = MqttBroker.reconnectAtOnce();

    @Test
    @DisplayName("[MQTT-3.1.0-1] a first packet other than CONNECT closes the connection")
    void firstPacketMustBeConnect() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.sendQuietly(publish("a/b", 0, false, 0, "before connect"));
            client.awaitClosed();
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    @DisplayName("[MQTT-3.1.0-1] PINGREQ before CONNECT closes the connection")
    void pingBeforeConnectClosesTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.sendQuietly(pingreq());
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] a second CONNECT is a protocol violation: the connection is closed")
    void secondConnectClosesTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("second-connect"))) {
            client.sendQuietly(connect("second-connect").bytes());
            client.awaitClosed();
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-1] a protocol name other than MQTT closes the connection (with at most a refusing CONNACK)")
    void wrongProtocolNameClosesTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.sendQuietly(connect("bad-name").protocol("MQTX", 4).bytes());
            assertNoAcceptingConnackThenClosed(client);
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-2] an unsupported protocol level gets CONNACK 0x01 and the connection is closed")
    void unsupportedProtocolLevelIsRefused() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.send(connect("level-9").protocol("MQTT", 9).bytes());
            MqttPacket connack = client.expect(MqttPacket.CONNACK);
            assertThat(connack.returnCode()).isEqualTo(0x01);
            assertThat(connack.sessionPresent()).as("[MQTT-3.2.2-4]").isFalse();
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("MQTT 3.1: protocol name MQIsdp with level 3 is accepted")
    void mqtt31IsAccepted() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("v31-raw").v31())) {
            assertThat(client.connack().returnCode()).isZero();
            client.send(pingreq());
            assertThat(client.read().type()).isEqualTo(MqttPacket.PINGRESP);
        }
    }

    @Test
    @DisplayName("MQTT 3.1 and 3.1.1 clients exchange messages (Paho MQTT_VERSION_3_1 and 3_1_1)")
    void mqtt31AndMqtt311ClientsTalk() throws Exception {
        MqttConnectOptions v31 = PahoClient.options(true);
        v31.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1);
        try (PahoClient old = PahoClient.connect(broker.uri(), "v31-paho", v31);
             PahoClient current = PahoClient.connect(broker, "v311-paho")) {
            old.subscribe("versions/old", 1);
            current.subscribe("versions/new", 2);
            current.publish("versions/old", "to 3.1", 1, false);
            old.publish("versions/new", "to 3.1.1", 2, false);
            assertThat(old.await().text()).isEqualTo("to 3.1");
            PahoClient.Received received = current.await();
            assertThat(received.text()).isEqualTo("to 3.1.1");
            assertThat(received.qos()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-3] the reserved connect flag set closes the connection")
    void reservedConnectFlagClosesTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.sendQuietly(connect("reserved-flag").extraFlags(0x01).bytes());
            assertNoAcceptingConnackThenClosed(client);
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-11] will flag 0 with a will QoS closes the connection")
    void willQosWithoutWillFlagClosesTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.sendQuietly(connect("will-qos-no-will").extraFlags(0x08).bytes());
            assertNoAcceptingConnackThenClosed(client);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-14] will QoS 3 closes the connection")
    void willQos3ClosesTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.sendQuietly(connect("will-qos-3").will("w/t", "gone", 3, false).bytes());
            assertNoAcceptingConnackThenClosed(client);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-15] will flag 0 with will retain 1 closes the connection")
    void willRetainWithoutWillFlagClosesTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.sendQuietly(connect("will-retain-no-will").extraFlags(0x20).bytes());
            assertNoAcceptingConnackThenClosed(client);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] a password without a user name closes the connection")
    void passwordWithoutUserNameClosesTheConnection() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.sendQuietly(connect("password-only").password("secret").bytes());
            assertNoAcceptingConnackThenClosed(client);
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] no packet within 1.5 x keep-alive: the server disconnects the client")
    void keepAliveIsEnforcedAtOneAndAHalfTimes() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("keep-alive-1s").keepAlive(1))) {
            // Mosquitto checks keep-alives only every few seconds (it closed after ~4.6 s here); Junction's timer is exact
            Duration bound = MqttBroker.isMosquitto() ? Duration.ofSeconds(8) : Duration.ofMillis(2500);
            Duration closedAfter = client.awaitClosed(bound.plusSeconds(1));
            assertThat(closedAfter).as("closed after 1.5 x 1 s, not before the keep-alive")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1000)).isLessThan(bound);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-23] [MQTT-3.12.4-1] PINGREQs within the keep-alive keep the connection open")
    void pingsKeepTheConnectionAlive() throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("keep-alive-pinging").keepAlive(1))) {
            for (int i = 0; i < 5; i++) {
                client.send(pingreq());
                assertThat(client.read().type()).isEqualTo(MqttPacket.PINGRESP);
                assertThat(client.poll(Duration.ofMillis(500))).as("nothing but PINGRESP, still open").isNull();
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-6] a zero-length client id with clean session 1 is accepted (the server assigns one)")
    void emptyClientIdWithCleanSessionIsAccepted() throws Exception {
        try (RawMqttClient first = RawMqttClient.connected(broker.port(), connect(""));
             RawMqttClient second = RawMqttClient.connected(broker.port(), connect(""))) {
            assertThat(first.connack().sessionPresent()).isFalse();
            // both stay connected: they were given distinct ids, neither takes the other over
            first.send(pingreq());
            second.send(pingreq());
            assertThat(first.read().type()).isEqualTo(MqttPacket.PINGRESP);
            assertThat(second.read().type()).isEqualTo(MqttPacket.PINGRESP);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-8] [MQTT-3.1.3-9] a zero-length client id with clean session 0 gets CONNACK 0x02, then the close")
    void emptyClientIdWithPersistentSessionIsRejected() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.send(connect("").cleanSession(false).bytes());
            MqttPacket connack = client.expect(MqttPacket.CONNACK);
            assertThat(connack.returnCode()).isEqualTo(0x02);
            assertThat(connack.sessionPresent()).as("[MQTT-3.2.2-4]").isFalse();
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-5] a 23-character alphanumeric client id is accepted")
    void twentyThreeCharacterClientIdIsAccepted() throws Exception {
        String id = "abcdefghijklmnopqrstuvW";
        assertThat(id).hasSize(23);
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect(id).cleanSession(false))) {
            assertThat(client.connack().returnCode()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] a CONNECT with the client id of a connected client disconnects the existing one")
    void sessionTakeoverDisconnectsTheFirstConnection() throws Exception {
        try (RawMqttClient first = RawMqttClient.connected(broker.port(), connect("takeover"));
             RawMqttClient second = RawMqttClient.connected(broker.port(), connect("takeover"))) {
            first.awaitClosed();
            second.send(pingreq());
            assertThat(second.read().type()).isEqualTo(MqttPacket.PINGRESP);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] takeover with Paho: the first client loses its connection, the second one gets the session")
    void takeoverKeepsThePersistentSession() throws Exception {
        try (PahoClient first = PahoClient.connect(broker.uri(), "takeover-paho", PahoClient.options(false))) {
            first.subscribe("takeover/t", 1);
            try (PahoClient second = PahoClient.create(broker.uri(), "takeover-paho")) {
                boolean sessionPresent = second.sessionPresentOnConnect(PahoClient.options(false));
                assertThat(first.awaitConnectionLost(Duration.ofSeconds(5))).isTrue();
                assertThat(sessionPresent).as("[MQTT-3.2.2-2]").isTrue();
                try (PahoClient publisher = PahoClient.connect(broker, "takeover-publisher")) {
                    publisher.publish("takeover/t", "to the new owner", 1, false);
                }
                assertThat(second.await().text()).isEqualTo("to the new owner");
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-4] an accepted CONNECT gets CONNACK 0x00 before any other packet")
    void acceptedConnectGetsConnackFirst() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.send(MqttBytes.concat(connect("connack-first").bytes(), pingreq(), disconnect()));
            MqttPacket first = client.read();
            assertThat(first.type()).isEqualTo(MqttPacket.CONNACK);
            assertThat(first.returnCode()).isZero();
            assertThat(first.body()).as("[MQTT-3.2.2-1] session present 0 for a clean session").containsExactly(0, 0);
            assertThat(client.read().type()).isEqualTo(MqttPacket.PINGRESP);
            client.awaitClosed();
        }
    }

    /** A refusal may come as a CONNACK with a non-zero return code, never as an accepting one; then the close. */
    static void assertNoAcceptingConnackThenClosed(RawMqttClient client) throws IOException {
        for (MqttPacket packet : client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)) {
            if (packet.type() != MqttPacket.CONNACK || packet.returnCode() == 0) {
                throw new AssertionError("expected no packet but a refusing CONNACK before the close, got " + packet);
            }
        }
    }
}
