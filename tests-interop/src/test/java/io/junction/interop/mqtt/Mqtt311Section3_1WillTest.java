package io.junction.interop.mqtt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.junction.interop.mqtt.MqttBytes.connect;
import static io.junction.interop.mqtt.MqttBytes.disconnect;
import static io.junction.interop.mqtt.MqttBytes.pingreq;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 3.1.1 section 3.1.2.5-3.1.2.7 (will flag, QoS and retain) and 3.14 DISCONNECT: the will is
 * published when the connection ends any other way than by DISCONNECT.
 */
@Timeout(30)
class Mqtt311Section3_1WillTest {

    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    final MqttBroker broker = MqttBroker.reconnectAtOnce();

    @Test
    @DisplayName("[MQTT-3.1.2-8] the will is published when the network connection closes without DISCONNECT")
    void willIsPublishedOnAbruptClose() throws Exception {
        try (PahoClient watcher = PahoClient.connect(broker, "will-watcher")) {
            watcher.subscribe("will/+", 2);
            RawMqttClient device = RawMqttClient.connected(broker.port(), connect("will-device").will("will/device", "gone", 1, false));
            device.abort();
            PahoClient.Received will = watcher.await();
            assertThat(will.topic()).isEqualTo("will/device");
            assertThat(will.text()).isEqualTo("gone");
            assertThat(will.qos()).as("the will QoS").isEqualTo(1);
            assertThat(will.retained()).isFalse();
            watcher.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] the will is published when the socket is closed (FIN) without DISCONNECT")
    void willIsPublishedOnCloseWithoutDisconnect() throws Exception {
        try (PahoClient watcher = PahoClient.connect(broker, "will-fin-watcher")) {
            watcher.subscribe("will/fin", 0);
            RawMqttClient device = RawMqttClient.connected(broker.port(), connect("will-fin").will("will/fin", "closed", 0, false));
            device.close();
            assertThat(watcher.await().text()).isEqualTo("closed");
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-10] [MQTT-3.14.4-3] after DISCONNECT the will is discarded, not published")
    void willIsNotPublishedAfterDisconnect() throws Exception {
        try (PahoClient watcher = PahoClient.connect(broker, "nowill-watcher")) {
            watcher.subscribe("will/polite", 1);
            try (RawMqttClient device = RawMqttClient.connected(broker.port(),
                    connect("nowill-device").will("will/polite", "should not appear", 1, false))) {
                device.send(disconnect());
                device.awaitClosed();
            }
            watcher.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-10] a Paho client's clean disconnect publishes no will")
    void pahoDisconnectPublishesNoWill() throws Exception {
        try (PahoClient watcher = PahoClient.connect(broker, "paho-will-watcher")) {
            watcher.subscribe("will/paho", 1);
            var options = PahoClient.options(true);
            options.setWill("will/paho", "paho gone".getBytes(), 1, false);
            try (PahoClient device = PahoClient.connect(broker.uri(), "paho-will-device", options)) {
                device.disconnect();
            }
            watcher.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-17] a will with will retain 1 is published as a retained message")
    void retainedWillIsRetained() throws Exception {
        RawMqttClient device = RawMqttClient.connected(broker.port(), connect("will-retained").will("will/retained", "offline", 1, true));
        try (PahoClient watcher = PahoClient.connect(broker, "will-retained-watcher")) {
            watcher.subscribe("will/retained", 1);
            device.abort();
            PahoClient.Received live = watcher.await();
            assertThat(live.text()).isEqualTo("offline");
        }
        try (PahoClient late = PahoClient.connect(broker, "will-retained-late")) {
            late.subscribe("will/retained", 1);
            PahoClient.Received retained = late.await();
            assertThat(retained.text()).isEqualTo("offline");
            assertThat(retained.retained()).isTrue();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-16] a will with will retain 0 is not retained")
    void nonRetainedWillIsNotRetained() throws Exception {
        try (PahoClient watcher = PahoClient.connect(broker, "will-plain-watcher")) {
            watcher.subscribe("will/plain", 1);
            RawMqttClient.connected(broker.port(), connect("will-plain").will("will/plain", "x", 1, false)).abort();
            watcher.await();
        }
        try (PahoClient late = PahoClient.connect(broker, "will-plain-late")) {
            late.subscribe("will/plain", 1);
            late.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] [MQTT-3.1.2-24] the will is published when the keep-alive expires")
    void willIsPublishedOnKeepAliveTimeout() throws Exception {
        try (PahoClient watcher = PahoClient.connect(broker, "will-silent-watcher");
             RawMqttClient silent = RawMqttClient.connected(broker.port(),
                     connect("will-silent").keepAlive(1).will("will/silent", "timed out", 1, false))) {
            watcher.subscribe("will/silent", 1);
            long start = System.nanoTime();
            // Mosquitto checks keep-alives only every few seconds
            PahoClient.Received will = watcher.await(Duration.ofSeconds(MqttBroker.isMosquitto() ? 10 : 4));
            assertThat(will.text()).isEqualTo("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            silent.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] the will is published when the server closes the connection for a protocol violation")
    void willIsPublishedOnProtocolViolation() throws Exception {
        // Mosquitto 2.0.11 discards the will here; section 3.1.2.5 lists "closed by the Server because of a
        // protocol error" among the cases that publish it

        try (PahoClient watcher = PahoClient.connect(broker, "will-violation-watcher");
             RawMqttClient device = RawMqttClient.connected(broker.port(),
                     connect("will-violation").will("will/violation", "violated", 1, false))) {
            watcher.subscribe("will/violation", 1);
            device.sendQuietly(connect("will-violation").bytes());
            device.awaitClosed();
            assertThat(watcher.await().text()).isEqualTo("violated");
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] a session taken over publishes the old connection's will")
    void takeoverPublishesTheWill() throws Exception {
        try (PahoClient watcher = PahoClient.connect(broker, "will-takeover-watcher")) {
            watcher.subscribe("will/takeover", 1);
            try (RawMqttClient first = RawMqttClient.connected(broker.port(),
                    connect("will-takeover").will("will/takeover", "taken over", 1, false));
                 RawMqttClient second = RawMqttClient.connected(broker.port(), connect("will-takeover"))) {
                first.awaitClosed();
                assertThat(watcher.await().text()).isEqualTo("taken over");
                second.send(pingreq());
                assertThat(second.read().type()).isEqualTo(MqttPacket.PINGRESP);
            }
        }
    }
}
