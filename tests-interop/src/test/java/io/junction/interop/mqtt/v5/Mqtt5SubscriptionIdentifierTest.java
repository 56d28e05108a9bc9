package io.junction.interop.mqtt.v5;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 section 3.8.2.1.2 Subscription Identifier and 3.3.4 (its use on delivery). */
@Timeout(30)
class Mqtt5SubscriptionIdentifierTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    private static Props id(int id) {
        return Props.of().add(Props.SUBSCRIPTION_IDENTIFIER, id);
    }

    @Test
    @DisplayName("[MQTT-3.3.4-3] a delivery carries the identifier of the subscription it matched")
    void deliveryCarriesIdentifier() throws Exception {
        try (RawMqtt5Client subscriber = RawMqtt5Client.connected(broker.port(), "sid", Props.of());
             PahoV5 publisher = PahoV5.connected(broker.uri(), "sid-pub")) {
            subscriber.send(subscribe(1, id(7), "sid/+", 1)).expect(Packet.SUBACK);
            subscriber.send(subscribe(2, id(268_435_455), "sid2/#", 1)).expect(Packet.SUBACK);
            publisher.publish("sid/a", "x", 1, false);
            Packet p = subscriber.expect(Packet.PUBLISH);
            assertThat(p.props.all(Props.SUBSCRIPTION_IDENTIFIER)).as("%s", p).containsExactly(7);
            subscriber.send(RawMqtt5Client.ack(Packet.PUBACK, p.packetId));
            publisher.publish("sid2/b/c", "y", 0, false);
            p = subscriber.expect(Packet.PUBLISH);
            assertThat(p.props.all(Props.SUBSCRIPTION_IDENTIFIER)).as("the largest identifier, %s", p)
                    .containsExactly(268_435_455);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.4-4] [MQTT-3.3.4-5] overlapping subscriptions: the identifiers of all of them")
    void overlappingSubscriptions() throws Exception {
        try (RawMqtt5Client subscriber = RawMqtt5Client.connected(broker.port(), "sid-overlap", Props.of());
             PahoV5 publisher = PahoV5.connected(broker.uri(), "sid-overlap-pub")) {
            subscriber.send(subscribe(1, id(1), "sidov/#", 0)).expect(Packet.SUBACK);
            subscriber.send(subscribe(2, id(2), "sidov/a", 0)).expect(Packet.SUBACK);
            subscriber.send(subscribe(3, null, "sidov/+", 0)).expect(Packet.SUBACK);
            publisher.publish("sidov/a", "x", 0, false);
            List<Packet> copies = new ArrayList<>(List.of(subscriber.expect(Packet.PUBLISH)));
            try {
                while (true) {
                    copies.add(subscriber.read(Duration.ofMillis(400)));
                }
            } catch (SocketTimeoutException quiet) {
                // all copies in
            }
            Set<Object> ids = new HashSet<>();
            for (Packet copy : copies) {
                assertThat(copy.type).isEqualTo(Packet.PUBLISH);
                ids.addAll(copy.props.all(Props.SUBSCRIPTION_IDENTIFIER));
            }
            assertThat(ids).as("identifiers over %s", copies).containsExactlyInAnyOrder(1, 2);
            if (copies.size() > 1) {
                for (Packet copy : copies) {
                    assertThat(copy.props.all(Props.SUBSCRIPTION_IDENTIFIER)).as("[MQTT-3.3.4-5] one per copy")
                            .hasSizeLessThanOrEqualTo(1);
                }
            }
        }
    }

    @Test
    @DisplayName("[3.8.2.1.2] a subscription without identifier gives deliveries without one; "
            + "re-subscribing replaces the identifier")
    void noIdentifierAndReplacement() throws Exception {
        try (RawMqtt5Client subscriber = RawMqtt5Client.connected(broker.port(), "sid-none", Props.of());
             PahoV5 publisher = PahoV5.connected(broker.uri(), "sid-none-pub")) {
            subscriber.send(subscribe(1, null, "sidn/t", 0)).expect(Packet.SUBACK);
            publisher.publish("sidn/t", "x", 0, false);
            assertThat(subscriber.expect(Packet.PUBLISH).props.has(Props.SUBSCRIPTION_IDENTIFIER)).isFalse();
            subscriber.send(subscribe(2, id(9), "sidn/t", 0)).expect(Packet.SUBACK);
            publisher.publish("sidn/t", "y", 0, false);
            assertThat(subscriber.expect(Packet.PUBLISH).props.all(Props.SUBSCRIPTION_IDENTIFIER))
                    .containsExactly(9);
        }
    }

    @Test
    @DisplayName("[3.8.2.1.2] subscription identifier 0 is a protocol error: DISCONNECT 0x82")
    void identifierZero() throws Exception {
        broker.assumeJunction("Mosquitto 2.0.11 answers 0x81 (malformed)");
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "sid-zero", Props.of())) {
            client.send(subscribe(1, id(0), "sidz/t", 0));
            broker.expectDisconnect(client, 0x82);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.4-6] a PUBLISH from a client with a subscription identifier is a protocol error")
    void identifierInClientPublish() throws Exception {
        broker.assumeJunction("Mosquitto 2.0.11 accepts it (PUBACK)");
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "sid-pub-bad", Props.of())) {
            client.send(RawMqtt5Client.publish("sidp/t", 1, false, 1, id(3), "x"));
            broker.expectDisconnect(client, 0x82);
        } catch (IOException e) {
            throw e;
        }
    }
}
