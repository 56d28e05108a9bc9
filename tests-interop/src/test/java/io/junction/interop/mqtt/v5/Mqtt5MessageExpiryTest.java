package io.junction.interop.mqtt.v5;

import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.connect;
import static io.junction.interop.mqtt.v5.RawMqtt5Client.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 section 3.3.2.3.3 Message Expiry Interval. */
@Timeout(30)
class Mqtt5MessageExpiryTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    private static MqttProperties expiry(long seconds) {
        MqttProperties props = new MqttProperties();
        props.setMessageExpiryInterval(seconds);
        return props;
    }

    private void leaveSession(String clientId, String topic) throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            client.send(connect(clientId, true, 30, Props.of().add(Props.SESSION_EXPIRY_INTERVAL, 60L)))
                    .expect(Packet.CONNACK);
            client.send(subscribe(1, null, topic, 1)).expect(Packet.SUBACK);
            client.send(RawMqtt5Client.disconnect(0, null));
            client.awaitClosed();
        }
    }

    private RawMqtt5Client resume(String clientId) throws Exception {
        RawMqtt5Client client = RawMqtt5Client.open(broker.port());
        Packet connack = client.send(connect(clientId, false, 30,
                Props.of().add(Props.SESSION_EXPIRY_INTERVAL, 60L))).expect(Packet.CONNACK);
        assertThat(connack.sessionPresent).isTrue();
        return client;
    }

    @Test
    @DisplayName("[MQTT-3.3.2-6] a message held 2 s with expiry 10 arrives with the interval less the time held")
    void expiryIsDecremented() throws Exception {
        leaveSession("exp-held", "exp/held");
        try (PahoV5 publisher = PahoV5.connected(broker.uri(), "exp-pub")) {
            publisher.publish("exp/held", "held", 1, expiry(10));
        }
        Thread.sleep(2000); // the time spent in the broker is what is measured
        try (RawMqtt5Client client = resume("exp-held")) {
            Packet publish = client.expect(Packet.PUBLISH);
            assertThat(publish.payloadText()).isEqualTo("held");
            assertThat(publish.props.number(Props.MESSAGE_EXPIRY_INTERVAL)).as("%s", publish).isBetween(7L, 8L);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-6] a message forwarded at once keeps (about) its expiry interval")
    void expiryForwardedLive() throws Exception {
        try (RawMqtt5Client subscriber = RawMqtt5Client.connected(broker.port(), "exp-live", Props.of());
             PahoV5 publisher = PahoV5.connected(broker.uri(), "exp-live-pub")) {
            subscriber.send(subscribe(1, null, "exp/live", 1)).expect(Packet.SUBACK);
            publisher.publish("exp/live", "live", 1, expiry(30));
            Packet publish = subscriber.expect(Packet.PUBLISH);
            assertThat(publish.props.number(Props.MESSAGE_EXPIRY_INTERVAL)).as("%s", publish).isBetween(29L, 30L);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-5] an expired message is not delivered to a returning subscriber")
    void expiredNotDelivered() throws Exception {
        leaveSession("exp-gone", "exp/gone");
        try (PahoV5 publisher = PahoV5.connected(broker.uri(), "exp-pub2")) {
            publisher.publish("exp/gone", "expired", 1, expiry(1));
            publisher.publish("exp/gone", "kept", 1, expiry(60));
        }
        Thread.sleep(2200); // let the first one expire
        try (RawMqtt5Client client = resume("exp-gone")) {
            Packet publish = client.expect(Packet.PUBLISH);
            assertThat(publish.payloadText()).isEqualTo("kept");
            client.send(RawMqtt5Client.ack(Packet.PUBACK, publish.packetId));
            client.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    @DisplayName("[3.3.2.3.3] [MQTT-3.3.2-5] an expired retained message is not sent to a new subscriber")
    void expiredRetainedNotSent() throws Exception {
        try (PahoV5 publisher = PahoV5.connected(broker.uri(), "exp-ret-pub")) {
            MqttProperties props = expiry(1);
            var message = new org.eclipse.paho.mqttv5.common.MqttMessage("stale".getBytes());
            message.setQos(1);
            message.setRetained(true);
            message.setProperties(props);
            publisher.client.publish("exp/retained", message);
        }
        Thread.sleep(2200);
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "exp-ret-sub", Props.of())) {
            client.send(subscribe(1, null, "exp/retained", 1)).expect(Packet.SUBACK);
            client.expectNothing(Duration.ofMillis(400));
        }
    }
}
