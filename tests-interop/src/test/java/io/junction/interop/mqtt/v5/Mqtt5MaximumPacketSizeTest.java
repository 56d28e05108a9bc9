package io.junction.interop.mqtt.v5;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.publish;
import static io.junction.interop.mqtt.v5.RawMqtt5Client.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 sections 3.1.2.11.4 and 3.2.2.3.6 Maximum Packet Size, in both directions. */
@Timeout(30)
class Mqtt5MaximumPacketSizeTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker("", "max_packet_size 1024")
            .withListenerSettings("maxMessageSize: 1024");

    @Test
    @DisplayName("[MQTT-3.2.2-15] [4.13] a PUBLISH over the server's maximum-packet-size: DISCONNECT 0x95")
    void clientPacketTooLarge() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            Packet connack = client.send(RawMqtt5Client.connect("big", true, 30, Props.of())).expect(Packet.CONNACK);
            assertThat(connack.props.number(Props.MAXIMUM_PACKET_SIZE)).isEqualTo(1024L);
            client.send(publish("mps/big", 1, false, 1, Props.of(), "x".repeat(1100)));
            broker.expectDisconnect(client, 0x95);
        }
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "small", Props.of())) {
            Packet puback = client.send(publish("mps/small", 1, false, 1, Props.of(), "x".repeat(900)))
                    .expect(Packet.PUBACK);
            assertThat(puback.reasonCode).as("a packet within the maximum is fine").isIn(0x00, 0x10);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] [MQTT-3.1.2-25] a message over the client's maximum-packet-size is not sent "
            + "to it; the others are")
    void serverRespectsClientMaximum() throws Exception {
        try (RawMqtt5Client subscriber = RawMqtt5Client.connected(broker.port(), "tiny",
                Props.of().add(Props.MAXIMUM_PACKET_SIZE, 200L));
             PahoV5 publisher = PahoV5.connected(broker.uri(), "tiny-pub")) {
            subscriber.send(subscribe(1, null, "mps/t", 1)).expect(Packet.SUBACK);
            publisher.publish("mps/t", "small-1", 1, false);
            publisher.publish("mps/t", "L".repeat(500), 1, false);
            publisher.publish("mps/t", "small-2", 1, false);
            Packet first = subscriber.expect(Packet.PUBLISH);
            subscriber.send(RawMqtt5Client.ack(Packet.PUBACK, first.packetId));
            Packet second = subscriber.expect(Packet.PUBLISH);
            subscriber.send(RawMqtt5Client.ack(Packet.PUBACK, second.packetId));
            assertThat(first.payloadText()).isEqualTo("small-1");
            assertThat(second.payloadText()).isEqualTo("small-2");
            subscriber.expectNothing(Duration.ofMillis(300));
            subscriber.send(RawMqtt5Client.pingreq()).expect(Packet.PINGRESP);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] a reason string that would overflow the client's maximum is left out")
    void ackWithinClientMaximum() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "tiny-ack",
                Props.of().add(Props.MAXIMUM_PACKET_SIZE, 16L))) {
            Packet unsuback = client.send(RawMqtt5Client.unsubscribe(1, "mps/none")).expect(Packet.UNSUBACK);
            assertThat(unsuback.reasonCodes).containsExactly(0x11);
            assertThat(2 + unsuback.body.length).as("packet size").isLessThanOrEqualTo(16);
        }
    }
}
