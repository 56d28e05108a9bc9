package io.junction.interop.mqtt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.junction.interop.mqtt.MqttBytes.connect;
import static io.junction.interop.mqtt.MqttBytes.publish;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What survives a broker restart: persistent sessions (subscriptions, queued QoS 1/2 messages,
 * QoS 2 hand-off state) and retained messages. The broker restarts on the same data directory;
 * its port changes, so clients reconnect to {@link MqttBroker#uri()} afresh.
 */
@Timeout(60)
class MqttRestartTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final MqttBroker broker = MqttBroker.reconnectAtOnce();

    @Test
    @DisplayName("persistent subscriptions and queued QoS 1/2 messages survive a restart; QoS 0 ones do not")
    void persistentSessionSurvivesRestart() throws Exception {
        try (PahoClient device = PahoClient.connect(broker.uri(), "restart-device", PahoClient.options(false))) {
            device.subscribe("restart/q1", 1);
            device.subscribe("restart/q2/#", 2);
        }
        try (PahoClient publisher = PahoClient.connect(broker, "restart-pub")) {
            publisher.publish("restart/q1", "one", 1, false);
            publisher.publish("restart/q2/a", "two", 2, false);
            publisher.publish("restart/q1", "zero", 0, false);
            publisher.publish("restart/q2/b", "three", 1, false);
        }

        broker.restart();

        try (PahoClient device = PahoClient.create(broker.uri(), "restart-device")) {
            assertThat(device.sessionPresentOnConnect(PahoClient.options(false))).as("[MQTT-3.2.2-2]").isTrue();
            List<PahoClient.Received> received = device.await(3);
            assertThat(received).extracting(r -> r.topic() + " " + r.text() + " q" + r.qos())
                    .containsExactlyInAnyOrder("restart/q1 one q1", "restart/q2/a two q2", "restart/q2/b three q1");
            device.assertNoMessage(QUIET);

            // the subscriptions themselves came back too
            try (PahoClient publisher = PahoClient.connect(broker, "restart-pub")) {
                publisher.publish("restart/q1", "after restart", 1, false);
                publisher.publish("restart/q2/c", "wildcard after restart", 2, false);
            }
            assertThat(device.await(2)).extracting(PahoClient.Received::text)
                    .containsExactlyInAnyOrder("after restart", "wildcard after restart");
        }
    }

    @Test
    @DisplayName("retained messages survive a restart; a cleared one stays cleared")
    void retainedMessagesSurviveRestart() throws Exception {
        try (PahoClient publisher = PahoClient.connect(broker, "restart-retain-pub")) {
            publisher.publish("restart/retained/a", "kept a", 1, true);
            publisher.publish("restart/retained/b", "kept b", 2, true);
            publisher.publish("restart/retained/c", "cleared", 1, true);
            publisher.publish("restart/retained/c", new byte[0], 1, true);
        }

        broker.restart();

        try (PahoClient subscriber = PahoClient.connect(broker, "restart-retain-sub")) {
            subscriber.subscribe("restart/retained/+", 2);
            List<PahoClient.Received> received = subscriber.await(2);
            assertThat(received).allMatch(PahoClient.Received::retained);
            assertThat(received).extracting(r -> r.topic() + "=" + r.text() + " q" + r.qos())
                    .containsExactlyInAnyOrder("restart/retained/a=kept a q1", "restart/retained/b=kept b q2");
            subscriber.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("an unacknowledged QoS 1 delivery is re-sent with DUP after a restart")
    void inflightDeliverySurvivesRestart() throws Exception {
        int packetId;
        try (RawMqttClient device = RawMqttClient.connected(broker.port(), connect("restart-inflight").cleanSession(false))) {
            device.send(MqttBytes.subscribe(1, "restart/inflight", 1)).expect(MqttPacket.SUBACK);
            try (PahoClient publisher = PahoClient.connect(broker, "restart-inflight-pub")) {
                publisher.publish("restart/inflight", "in flight", 1, false);
            }
            packetId = device.expect(MqttPacket.PUBLISH).packetId();
            device.abort();
        }

        broker.restart();

        try (RawMqttClient device = RawMqttClient.connected(broker.port(), connect("restart-inflight").cleanSession(false))) {
            MqttPacket again = device.expect(MqttPacket.PUBLISH);
            assertThat(again.payloadText()).isEqualTo("in flight");
            assertThat(again.dup()).as("[MQTT-3.3.1-1]").isTrue();
            assertThat(again.packetId()).isEqualTo(packetId);
            device.send(MqttBytes.puback(again.packetId()));
            assertThat(device.poll(QUIET)).isNull();
        }
    }

    @Test
    @DisplayName("QoS 2 hand-off state survives a restart: PUBREL after the restart completes it, one delivery")
    void qos2StateSurvivesRestart() throws Exception {
        byte[] topic = "restart/qos2".getBytes(StandardCharsets.UTF_8);
        try (PahoClient subscriber = PahoClient.connect(broker.uri(), "restart-qos2-sub", PahoClient.options(false))) {
            subscriber.subscribe("restart/qos2", 2);
        }
        try (RawMqttClient publisher = RawMqttClient.connected(broker.port(), connect("restart-qos2-pub").cleanSession(false))) {
            publisher.send(publish(topic, 2, false, false, 9, "exactly once".getBytes(StandardCharsets.UTF_8)));
            assertThat(publisher.expect(MqttPacket.PUBREC).packetId()).isEqualTo(9);
            publisher.abort();
        }

        broker.restart();

        try (RawMqttClient publisher = RawMqttClient.connected(broker.port(), connect("restart-qos2-pub").cleanSession(false))) {
            assertThat(publisher.connack().sessionPresent()).isTrue();
            publisher.send(publish(topic, 2, false, true, 9, "exactly once".getBytes(StandardCharsets.UTF_8)));
            assertThat(publisher.expect(MqttPacket.PUBREC).packetId()).isEqualTo(9);
            publisher.send(MqttBytes.pubrel(9));
            assertThat(publisher.expect(MqttPacket.PUBCOMP).packetId()).isEqualTo(9);
        }
        try (PahoClient subscriber = PahoClient.connect(broker.uri(), "restart-qos2-sub", PahoClient.options(false))) {
            assertThat(subscriber.await().text()).isEqualTo("exactly once");
            subscriber.assertNoMessage(QUIET);
        }
    }
}
