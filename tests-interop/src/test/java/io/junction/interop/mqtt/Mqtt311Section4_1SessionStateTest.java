package io.junction.interop.mqtt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 3.1.1 section 4.1 (storing state) and 3.1.2.4 (clean session): what a persistent session
 * keeps while its client is away.
 */
@Timeout(30)
class Mqtt311Section4_1SessionStateTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final MqttBroker broker = MqttBroker.reconnectAtOnce();

    @Test
    @DisplayName("[MQTT-3.1.2-4] [MQTT-3.1.2-5] [MQTT-4.1.0-1] subscriptions and QoS 1/2 messages are kept while away")
    void persistentSessionKeepsSubscriptionsAndMessages() throws Exception {
        try (PahoClient device = PahoClient.connect(broker.uri(), "persistent", PahoClient.options(false))) {
            device.subscribe("persist/q1", 1);
            device.subscribe("persist/q2", 2);
            device.subscribe("persist/q0", 0);
        }
        try (PahoClient publisher = PahoClient.connect(broker, "persist-pub")) {
            publisher.publish("persist/q1", "one", 1, false);
            publisher.publish("persist/q2", "two", 2, false);
            publisher.publish("persist/q1", "three", 2, false);
            publisher.publish("persist/q2", "four", 1, false);
        }
        try (PahoClient device = PahoClient.create(broker.uri(), "persistent")) {
            assertThat(device.sessionPresentOnConnect(PahoClient.options(false))).isTrue();
            List<PahoClient.Received> received = device.await(4);
            assertThat(received).extracting(r -> r.topic() + " " + r.text() + " q" + r.qos())
                    .containsExactlyInAnyOrder("persist/q1 one q1", "persist/q2 two q2", "persist/q1 three q1", "persist/q2 four q1");
            device.assertNoMessage(QUIET);

            // the subscriptions are still there without subscribing again
            try (PahoClient publisher = PahoClient.connect(broker, "persist-pub")) {
                publisher.publish("persist/q0", "live", 0, false);
            }
            assertThat(device.await().text()).isEqualTo("live");
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-5] QoS 0 messages are not queued for an absent client (optional in 3.1.1; Junction's and Mosquitto's choice)")
    void qos0IsNotQueuedWhileAway() throws Exception {
        try (PahoClient device = PahoClient.connect(broker.uri(), "persist-q0", PahoClient.options(false))) {
            device.subscribe("persist0/t", 2);
        }
        try (PahoClient publisher = PahoClient.connect(broker, "persist0-pub")) {
            publisher.publish("persist0/t", "qos0 while away", 0, false);
            publisher.publish("persist0/t", "qos1 while away", 1, false);
        }
        try (PahoClient device = PahoClient.connect(broker.uri(), "persist-q0", PahoClient.options(false))) {
            assertThat(device.await().text()).isEqualTo("qos1 while away");
            device.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-6] a clean session's subscriptions end with its connection")
    void cleanSessionKeepsNothing() throws Exception {
        try (PahoClient device = PahoClient.connect(broker.uri(), "transient", PahoClient.options(true))) {
            device.subscribe("transient/t", 1);
        }
        try (PahoClient publisher = PahoClient.connect(broker, "transient-pub")) {
            publisher.publish("transient/t", "nobody home", 1, false);
        }
        try (PahoClient device = PahoClient.create(broker.uri(), "transient")) {
            assertThat(device.sessionPresentOnConnect(PahoClient.options(false))).isFalse();
            device.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-4.1.0-1] [MQTT-4.6.0-6] messages queued while away are delivered in publish order")
    void queuedMessagesKeepTheirOrder() throws Exception {
        try (PahoClient device = PahoClient.connect(broker.uri(), "persist-order", PahoClient.options(false))) {
            device.subscribe("persist-order/t", 1);
        }
        try (PahoClient publisher = PahoClient.connect(broker, "persist-order-pub")) {
            for (int i = 0; i < 100; i++) {
                publisher.publish("persist-order/t", "m" + i, 1, false);
            }
        }
        try (PahoClient device = PahoClient.connect(broker.uri(), "persist-order", PahoClient.options(false))) {
            List<String> received = device.await(100).stream().map(PahoClient.Received::text).toList();
            for (int i = 0; i < 100; i++) {
                assertThat(received.get(i)).isEqualTo("m" + i);
            }
        }
    }

    @Test
    @DisplayName("[MQTT-4.1.0-1] a session dropped abruptly keeps queueing until the client returns")
    void abruptlyDroppedSessionKeepsQueueing() throws Exception {
        RawMqttClient device = RawMqttClient.connected(broker.port(), MqttBytes.connect("persist-abrupt").cleanSession(false));
        device.send(MqttBytes.subscribe(1, "persist-abrupt/t", 1)).expect(MqttPacket.SUBACK);
        device.abort();
        try (PahoClient publisher = PahoClient.connect(broker, "persist-abrupt-pub")) {
            publisher.publish("persist-abrupt/t", "after the crash", 1, false);
        }
        try (PahoClient resumed = PahoClient.connect(broker.uri(), "persist-abrupt", PahoClient.options(false))) {
            assertThat(resumed.await().text()).isEqualTo("after the crash");
        }
    }
}
