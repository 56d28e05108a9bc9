package io.junction.interop.mqtt.v5;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.ack;
import static io.junction.interop.mqtt.v5.RawMqtt5Client.publish;
import static io.junction.interop.mqtt.v5.RawMqtt5Client.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 section 4.9 Flow Control: receive-maximum in both directions. */
@Timeout(30)
class Mqtt5FlowControlTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker("receiveMaximum: 2", "max_inflight_messages 2");

    @Test
    @DisplayName("[MQTT-3.3.4-9] the server sends no more unacknowledged QoS 1 publishes than the client's "
            + "receive-maximum")
    void serverRespectsClientReceiveMaximum() throws Exception {
        try (RawMqtt5Client subscriber = RawMqtt5Client.connected(broker.port(), "slow",
                Props.of().add(Props.RECEIVE_MAXIMUM, 2));
             PahoV5 publisher = PahoV5.connected(broker.uri(), "fast")) {
            subscriber.send(subscribe(1, null, "flow/t", 1)).expect(Packet.SUBACK);
            for (int i = 0; i < 5; i++) {
                publisher.publish("flow/t", "m" + i, 1, false);
            }
            List<Packet> window = new ArrayList<>(List.of(subscriber.expect(Packet.PUBLISH),
                    subscriber.expect(Packet.PUBLISH)));
            subscriber.expectNothing(Duration.ofMillis(500));

            List<String> payloads = new ArrayList<>();
            while (payloads.size() < 5) {
                Packet oldest = window.remove(0);
                payloads.add(oldest.payloadText());
                subscriber.send(ack(Packet.PUBACK, oldest.packetId));
                if (payloads.size() + window.size() < 5) {
                    window.add(subscriber.expect(Packet.PUBLISH));
                }
                assertThat(window).hasSizeLessThanOrEqualTo(2);
            }
            assertThat(payloads).containsExactly("m0", "m1", "m2", "m3", "m4");
            subscriber.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.4-8] [4.9] a client that exceeds the server's receive-maximum gets DISCONNECT 0x93")
    void clientExceedingReceiveMaximumIsDisconnected() throws Exception {
        broker.assumeJunction("Mosquitto 2.0.11 answers PUBREC 0x97 (quota exceeded) instead");
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            Packet connack = client.send(RawMqtt5Client.connect("greedy", true, 30, Props.of()))
                    .expect(Packet.CONNACK);
            assertThat(connack.props.number(Props.RECEIVE_MAXIMUM)).isEqualTo(2L);
            // QoS 2 publishes stay in flight until PUBCOMP: never send PUBREL
            client.send(publish("flow/greedy", 2, false, 1, Props.of(), "a"));
            assertThat(client.expect(Packet.PUBREC).packetId).isEqualTo(1);
            client.send(publish("flow/greedy", 2, false, 2, Props.of(), "b"));
            assertThat(client.expect(Packet.PUBREC).packetId).isEqualTo(2);
            client.send(publish("flow/greedy", 2, false, 3, Props.of(), "c"));
            broker.expectDisconnect(client, 0x93);
        }
        try (RawMqtt5Client again = RawMqtt5Client.connected(broker.port(), "after", Props.of())) {
            again.send(RawMqtt5Client.pingreq()).expect(Packet.PINGRESP);
        }
    }
}
