package io.junction.interop.mqtt.v5;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.connect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Junction's clientReconnectInterval (issue 4, "Scale and storms"): a CONNECT with the same client id
 * sooner than the interval is refused with CONNACK 0x9F (connection rate exceeded, 3.2.2.2).
 */
@Timeout(30)
class Mqtt5ConnectionRateTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker("clientReconnectInterval: 1s", "");

    @Test
    @DisplayName("[3.2.2.2] [MQTT-3.2.2-7] a takeover loop is refused with CONNACK 0x9F, then the connection closed")
    void reconnectTooSoonIsRefused() throws Exception {
        broker.assumeJunction("Junction's connection-rate protection");
        try (RawMqtt5Client first = RawMqtt5Client.connected(broker.port(), "looping", Props.of());
             RawMqtt5Client second = RawMqtt5Client.open(broker.port())) {
            Packet connack = second.send(connect("looping", true, 30, Props.of())).expect(Packet.CONNACK);
            assertThat(connack.reasonCode).isEqualTo(0x9F);
            second.awaitClosed();
            first.send(RawMqtt5Client.pingreq());
            assertThat(first.expect(Packet.PINGRESP).type).as("the first connection stays").isEqualTo(Packet.PINGRESP);
            first.send(RawMqtt5Client.disconnect(0, null));
        }
        Thread.sleep(1200); // the interval passing is what is tested
        try (RawMqtt5Client later = RawMqtt5Client.open(broker.port())) {
            assertThat(later.send(connect("looping", true, 30, Props.of())).expect(Packet.CONNACK).reasonCode)
                    .as("after the interval").isZero();
        }
    }
}
