package io.junction.interop.mqtt;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.junction.interop.mqtt.MqttBytes.connect;
import static io.junction.interop.mqtt.MqttBytes.disconnect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Junction's own protection settings ({@code protocols.mqtt} in broker.yaml), which Mosquitto does
 * not have in the same form: reconnect interval, connection rate, CONNECT timeout, client id length,
 * keep-alive cap, packet size and the queue of an absent persistent session.
 */
@Timeout(30)
class MqttJunctionLimitsTest {

    @BeforeEach
    void junctionOnly() {
        MqttBroker.assumeJunction("Junction's protocols.mqtt settings");
    }

    @Nested
    class Defaults {

        @RegisterExtension
        final MqttBroker broker = new MqttBroker();

        @Test
        @DisplayName("clientReconnectInterval (200 ms): a CONNECT with the same id sooner gets CONNACK 0x03, later ones pass")
        void reconnectTooSoonIsRefused() throws Exception {
            try (RawMqttClient first = RawMqttClient.connected(broker.port(), connect("storm"))) {
                first.send(disconnect());
                first.awaitClosed();
            }
            try (RawMqttClient tooSoon = RawMqttClient.open(broker.port())) {
                tooSoon.send(connect("storm").bytes());
                MqttPacket connack = tooSoon.expect(MqttPacket.CONNACK);
                assertThat(connack.returnCode()).isEqualTo(0x03);
                assertThat(connack.sessionPresent()).isFalse();
                tooSoon.awaitClosed();
            }
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                try (RawMqttClient later = RawMqttClient.open(broker.port())) {
                    later.send(connect("storm").bytes());
                    assertThat(later.expect(MqttPacket.CONNACK).returnCode()).isZero();
                }
            });
        }

        @Test
        @DisplayName("clientReconnectInterval (200 ms): a takeover sooner than that is refused with CONNACK 0x03, the owner stays")
        void takeoverLoopIsBroken() throws Exception {
            try (RawMqttClient owner = RawMqttClient.connected(broker.port(), connect("shared-id"));
                 RawMqttClient twin = RawMqttClient.open(broker.port())) {
                twin.send(connect("shared-id").bytes());
                assertThat(twin.expect(MqttPacket.CONNACK).returnCode()).isEqualTo(0x03);
                twin.awaitClosed();
                owner.send(MqttBytes.pingreq());
                assertThat(owner.read().type()).as("the owner keeps its connection").isEqualTo(MqttPacket.PINGRESP);
            }
        }

        @Test
        @DisplayName("maxClientIdLength (256): a 256-byte id is accepted, a 257-byte one gets CONNACK 0x02")
        void clientIdLengthIsLimited() throws Exception {
            try (RawMqttClient ok = RawMqttClient.connected(broker.port(), connect("i".repeat(256)))) {
                assertThat(ok.connack().returnCode()).isZero();
            }
            try (RawMqttClient tooLong = RawMqttClient.open(broker.port())) {
                tooLong.send(connect("i".repeat(257)).bytes());
                assertThat(tooLong.expect(MqttPacket.CONNACK).returnCode()).isEqualTo(0x02);
                tooLong.awaitClosed();
            }
        }
    }

    @Nested
    class Tight {

        @RegisterExtension
        final MqttBroker broker = MqttBroker.withSettings("", "connectTimeout: 500ms", "maxKeepAlive: 1s",
                "maxQueuedMessages: 5").withListenerSettings("maxMessageSize: 1KB");

        @Test
        @DisplayName("connectTimeout: a connection that sends no CONNECT is closed")
        void silentConnectionIsClosed() throws Exception {
            try (RawMqttClient silent = RawMqttClient.open(broker.port())) {
                Duration closedAfter = silent.awaitClosed(Duration.ofSeconds(3));
                assertThat(closedAfter).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofMillis(2500));
            }
        }

        @Test
        @DisplayName("maxKeepAlive: a client asking for 60 s is held to 1 s (closed after 1.5 s of silence)")
        void keepAliveIsCapped() throws Exception {
            try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("capped").keepAlive(60))) {
                Duration closedAfter = client.awaitClosed(Duration.ofSeconds(4));
                assertThat(closedAfter).isGreaterThanOrEqualTo(Duration.ofMillis(1000)).isLessThan(Duration.ofMillis(3000));
            }
        }

        @Test
        @DisplayName("the listener's maxMessageSize (1 KB): a larger PUBLISH closes the connection, a smaller one passes")
        void packetSizeIsLimited() throws Exception {
            try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("small"))) {
                client.send(MqttBytes.publish("size/t", 1, false, 1, "x".repeat(900)));
                assertThat(client.expect(MqttPacket.PUBACK).packetId()).isEqualTo(1);
                client.sendQuietly(MqttBytes.publish("size/t", 1, false, 2, "x".repeat(2000)));
                assertThat(client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)).as("no PUBACK").isEmpty();
            }
        }

        @Test
        @DisplayName("maxQueuedMessages (5): an absent session keeps the first 5 messages of a subscription; later ones are dropped, as Mosquitto does")
        void absentSessionQueueIsBounded() throws Exception {
            try (PahoClient device = PahoClient.connect(broker.uri(), "bounded", PahoClient.options(false))) {
                device.subscribe("bounded/t", 1);
            }
            try (PahoClient publisher = PahoClient.connect(broker, "bounded-pub")) {
                for (int i = 0; i < 8; i++) {
                    publisher.publish("bounded/t", "m" + i, 1, false);
                }
            }
            try (PahoClient device = PahoClient.connect(broker.uri(), "bounded", PahoClient.options(false))) {
                assertThat(device.await(5)).extracting(PahoClient.Received::text).containsExactly("m0", "m1", "m2", "m3", "m4");
                device.assertNoMessage(Duration.ofMillis(300));
            }
        }
    }

    @Nested
    class ConnectionRate {

        @RegisterExtension
        final MqttBroker broker = MqttBroker.withSettings("", "maxConnectsPerSecond: 5");

        @Test
        @DisplayName("maxConnectsPerSecond (5): a burst of 20 CONNECTs has refusals with CONNACK 0x03; a second later one passes")
        void connectionRateIsLimited() throws Exception {
            List<RawMqttClient> clients = new ArrayList<>();
            int accepted = 0;
            int refused = 0;
            try {
                for (int i = 0; i < 20; i++) {
                    RawMqttClient client = RawMqttClient.open(broker.port());
                    clients.add(client);
                    client.send(connect("burst-" + i).bytes());
                }
                for (RawMqttClient client : clients) {
                    int code = client.expect(MqttPacket.CONNACK).returnCode();
                    if (code == 0) {
                        accepted++;
                    } else {
                        assertThat(code).isEqualTo(0x03);
                        client.awaitClosed();
                        refused++;
                    }
                }
            } finally {
                for (RawMqttClient client : clients) {
                    client.close();
                }
            }
            assertThat(accepted).isBetween(1, 10);
            assertThat(refused).isGreaterThanOrEqualTo(10);
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                try (RawMqttClient later = RawMqttClient.open(broker.port())) {
                    later.send(connect("after-burst").bytes());
                    assertThat(later.expect(MqttPacket.CONNACK).returnCode()).isZero();
                }
            });
        }
    }
}
