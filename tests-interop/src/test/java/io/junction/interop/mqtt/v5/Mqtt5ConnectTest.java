package io.junction.interop.mqtt.v5;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.connect;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 section 3.1 CONNECT and 3.2 CONNACK: what the server announces and how it treats client ids. */
@Timeout(30)
class Mqtt5ConnectTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker("""
            receiveMaximum: 10
            topicAliasMaximum: 5
            maxKeepAlive: 10s
            maxSessionExpiry: 5s
            """, """
            max_inflight_messages 10
            max_packet_size 10000
            max_topic_alias 5
            max_keepalive 10
            """).withListenerSettings("maxMessageSize: 10000");

    @Test
    @DisplayName("[MQTT-3.2.2-9..14, 3.2.2.3] CONNACK announces receive-maximum, maximum-packet-size, "
            + "topic-alias-maximum and the available features")
    void connackAnnouncesLimitsAndFeatures() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            Packet connack = client.send(connect("announce", true, 5, Props.of())).expect(Packet.CONNACK);

            assertThat(connack.reasonCode).isZero();
            assertThat(connack.sessionPresent).as("[MQTT-3.2.2-2] clean start gives session present 0").isFalse();
            Props p = connack.props;
            assertThat(p.number(Props.RECEIVE_MAXIMUM)).as("receive-maximum in %s", p).isEqualTo(10L);
            assertThat(p.number(Props.MAXIMUM_PACKET_SIZE)).as("maximum-packet-size in %s", p).isEqualTo(10000L);
            assertThat(p.number(Props.TOPIC_ALIAS_MAXIMUM)).as("topic-alias-maximum in %s", p).isEqualTo(5L);
            for (int feature : new int[] {Props.RETAIN_AVAILABLE, Props.WILDCARD_SUBSCRIPTION_AVAILABLE,
                Props.SUBSCRIPTION_IDENTIFIER_AVAILABLE, Props.SHARED_SUBSCRIPTION_AVAILABLE}) {
                // absent means available (3.2.2.3.5, .11, .12, .13); present it must say 1
                assertThat(p.number(feature)).as("feature 0x%s in %s", Integer.toHexString(feature), p)
                        .isIn(null, 1L);
                if (broker.isJunction()) {
                    assertThat(p.number(feature)).as("Junction states feature 0x%s", Integer.toHexString(feature))
                            .isEqualTo(1L);
                }
            }
            assertThat(p.has(Props.MAXIMUM_QOS)).as("[MQTT-3.2.2-9] QoS 2 supported: no maximum-qos in %s", p)
                    .isFalse();
        }
    }

    @Test
    @DisplayName("[MQTT-3.2.2-9..14] HiveMQ client sees the same restrictions")
    void hiveMqSeesRestrictions() {
        Mqtt5BlockingClient client = Hive.client(broker, "hive-restrictions");
        try {
            Mqtt5ConnAck connack = client.connectWith().keepAlive(5).send();
            assertThat(connack.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(connack.getRestrictions().getReceiveMaximum()).isEqualTo(10);
            assertThat(connack.getRestrictions().getMaximumPacketSize()).isEqualTo(10000);
            assertThat(connack.getRestrictions().getTopicAliasMaximum()).isEqualTo(5);
            assertThat(connack.getRestrictions().isRetainAvailable()).isTrue();
            assertThat(connack.getRestrictions().isWildcardSubscriptionAvailable()).isTrue();
            assertThat(connack.getRestrictions().isSharedSubscriptionAvailable()).isTrue();
            assertThat(connack.getRestrictions().areSubscriptionIdentifiersAvailable()).isTrue();
        } finally {
            Hive.close(client);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-6] [MQTT-3.1.3-7] [MQTT-3.2.2-16] an empty client id gets a unique "
            + "assigned-client-identifier")
    void emptyClientIdIsAssigned() {
        Mqtt5BlockingClient first = Hive.client(broker, "");
        Mqtt5BlockingClient second = Hive.client(broker, "");
        try {
            Mqtt5ConnAck a = first.connectWith().cleanStart(true).send();
            Mqtt5ConnAck b = second.connectWith().cleanStart(true).send();
            assertThat(a.getAssignedClientIdentifier()).isPresent();
            assertThat(b.getAssignedClientIdentifier()).isPresent();
            assertThat(a.getAssignedClientIdentifier().get().toString()).isNotEmpty()
                    .isNotEqualTo(b.getAssignedClientIdentifier().get().toString());
        } finally {
            Hive.close(first);
            Hive.close(second);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-8] an empty client id with clean start 0 is refused with CONNACK 0x85 and closed")
    void emptyClientIdWithoutCleanStartIsRefused() throws Exception {
        broker.assumeJunction("a MAY of the specification; Mosquitto assigns an id instead");
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            Packet connack = client.send(connect("", false, 30, Props.of())).expect(Packet.CONNACK);
            assertThat(connack.reasonCode).isEqualTo(0x85);
            assertThat(connack.sessionPresent).as("[MQTT-3.2.2-6] session present 0 on refusal").isFalse();
            client.awaitClosed();
        }
        assertServing();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-21] a keep-alive over the server's maximum is answered with server-keep-alive")
    void serverKeepAlive() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            Packet connack = client.send(connect("keepalive", true, 60, Props.of())).expect(Packet.CONNACK);
            assertThat(connack.props.number(Props.SERVER_KEEP_ALIVE)).as("%s", connack).isEqualTo(10L);
        }
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            Packet connack = client.send(connect("keepalive2", true, 5, Props.of())).expect(Packet.CONNACK);
            assertThat(connack.props.number(Props.SERVER_KEEP_ALIVE))
                    .as("[MQTT-3.2.2-22] within the maximum the client's value stands: %s", connack)
                    .isIn(null, 5L);
        }
    }

    @Test
    @DisplayName("[3.2.2.3.2] a session-expiry-interval over the server's maximum is answered with the "
            + "server's value in CONNACK")
    void sessionExpiryIsClamped() throws Exception {
        broker.assumeJunction("Mosquitto 2.0 has no maximum session expiry it announces");
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            Packet connack = client.send(connect("expiry", true, 30,
                    Props.of().add(Props.SESSION_EXPIRY_INTERVAL, 3600L))).expect(Packet.CONNACK);
            assertThat(connack.props.number(Props.SESSION_EXPIRY_INTERVAL)).as("%s", connack).isEqualTo(5L);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-28] response-information only when request-response-information is 1")
    void responseInformation() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            Packet connack = client.send(connect("no-response-info", true, 30, Props.of())).expect(Packet.CONNACK);
            assertThat(connack.props.has(Props.RESPONSE_INFORMATION)).as("%s", connack).isFalse();
        }
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            Packet connack = client.send(connect("no-response-info-0", true, 30,
                    Props.of().add(Props.REQUEST_RESPONSE_INFORMATION, 0))).expect(Packet.CONNACK);
            assertThat(connack.props.has(Props.RESPONSE_INFORMATION)).as("%s", connack).isFalse();
        }
        if (broker.isJunction()) {
            // the server MAY return it; Junction's design does
            try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
                Packet connack = client.send(connect("response-info", true, 30,
                        Props.of().add(Props.REQUEST_RESPONSE_INFORMATION, 1))).expect(Packet.CONNACK);
                assertThat(connack.props.string(Props.RESPONSE_INFORMATION)).as("%s", connack).isNotEmpty();
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] a second CONNECT is a protocol error: DISCONNECT 0x82 and close")
    void secondConnectIsProtocolError() throws Exception {
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "twice", Props.of())) {
            client.send(connect("twice", true, 30, Props.of()));
            broker.expectDisconnect(client, 0x82);
        }
        assertServing();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-1] [MQTT-3.1.2-2] an unsupported protocol level is refused (CONNACK 0x84) and closed")
    void unsupportedProtocolLevel() throws Exception {
        byte[] packet = connect("level6", true, 30, Props.of());
        packet[8] = 6; // fixed header (2) + "MQTT" (6): the protocol level byte
        try (RawMqtt5Client client = RawMqtt5Client.open(broker.port())) {
            client.send(packet);
            Packet connack = client.expect(Packet.CONNACK);
            // the server cannot know the client's version: 0x84, or 3.1.1's 0x01 (unacceptable version)
            assertThat(connack.reasonCode).isIn(0x84, 0x01);
            client.awaitClosed();
        }
        assertServing();
    }

    private void assertServing() throws Exception {
        try (RawMqtt5Client again = RawMqtt5Client.connected(broker.port(), "still-serving", Props.of())) {
            again.send(RawMqtt5Client.pingreq());
            again.expect(Packet.PINGRESP);
        }
    }
}
