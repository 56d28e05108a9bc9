package io.junction.interop.mqtt.v5;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 section 4.3 (QoS levels), 4.6 (ordering) and [MQTT-3.8.4-8] (QoS downgrade). */
@Timeout(30)
class Mqtt5QosTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    @ParameterizedTest(name = "published QoS {0}, subscribed QoS {1} -> delivered QoS {2}")
    @CsvSource({"0,2,0", "1,2,1", "2,2,2", "2,1,1", "2,0,0", "1,0,0"})
    @DisplayName("[MQTT-3.8.4-8] delivered QoS is the minimum of the published and the granted QoS")
    void qosDowngrade(int published, int subscribed, int delivered) throws Exception {
        try (PahoV5 subscriber = PahoV5.connected(broker.uri(), "qos-sub");
             PahoV5 publisher = PahoV5.connected(broker.uri(), "qos-pub")) {
            subscriber.client.subscribe("qos/t", subscribed);
            publisher.publish("qos/t", "m", published, false);
            PahoV5.Received received = subscriber.next();
            assertThat(received.message().getQos()).isEqualTo(delivered);
            assertThat(received.text()).isEqualTo("m");
        }
    }

    @Test
    @DisplayName("[MQTT-4.3.3] [MQTT-4.6.0-6] QoS 2 end to end: each message exactly once, in order")
    void qos2ExactlyOnceInOrder() throws Exception {
        try (PahoV5 subscriber = PahoV5.connected(broker.uri(), "qos2-sub");
             PahoV5 publisher = PahoV5.connected(broker.uri(), "qos2-pub")) {
            subscriber.client.subscribe("qos2/t", 2);
            for (int i = 0; i < 30; i++) {
                publisher.publish("qos2/t", "m" + i, 2, false);
            }
            List<String> texts = subscriber.next(30).stream().map(PahoV5.Received::text).toList();
            assertThat(texts).containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> "m" + i).toList());
            subscriber.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] unacknowledged QoS 1 messages are resent with DUP when the session resumes")
    void qos1ResentOnResume() throws Exception {
        try (RawMqtt5Client subscriber = RawMqtt5Client.connected(broker.port(), "resend",
                Props.of().add(Props.SESSION_EXPIRY_INTERVAL, 60L))) {
            subscriber.send(RawMqtt5Client.subscribe(1, null, "resend/t", 1)).expect(Packet.SUBACK);
            try (PahoV5 publisher = PahoV5.connected(broker.uri(), "resend-pub")) {
                publisher.publish("resend/t", "once", 1, false);
            }
            Packet first = subscriber.expect(Packet.PUBLISH);
            assertThat(first.dup()).isFalse();
            subscriber.abort(); // no PUBACK
        }
        try (RawMqtt5Client again = RawMqtt5Client.open(broker.port())) {
            Packet connack = again.send(RawMqtt5Client.connect("resend", false, 30,
                    Props.of().add(Props.SESSION_EXPIRY_INTERVAL, 60L))).expect(Packet.CONNACK);
            assertThat(connack.sessionPresent).isTrue();
            Packet resent = again.expect(Packet.PUBLISH);
            assertThat(resent.payloadText()).isEqualTo("once");
            assertThat(resent.dup()).as("[MQTT-3.3.1-1] DUP on a re-delivery").isTrue();
            assertThat(resent.qos()).isEqualTo(1);
            again.send(RawMqtt5Client.ack(Packet.PUBACK, resent.packetId));
            again.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    @DisplayName("[3.8.3.1] without no-local a client receives its own QoS 1 and QoS 2 publishes")
    void ownPublishesWithoutNoLocal() throws Exception {
        MqttConnectionOptions options = PahoV5.options();
        options.setSessionExpiryInterval(0L);
        try (PahoV5 client = PahoV5.connected(broker.uri(), "self", options)) {
            client.client.subscribe("self/t", 2);
            client.publish("self/t", "a", 1, false);
            client.publish("self/t", "b", 2, false);
            assertThat(client.next(2).stream().map(PahoV5.Received::text)).containsExactly("a", "b");
        }
    }
}
