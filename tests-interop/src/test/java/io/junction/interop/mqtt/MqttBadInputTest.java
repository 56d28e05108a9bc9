package io.junction.interop.mqtt;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.junction.interop.mqtt.MqttBytes.concat;
import static io.junction.interop.mqtt.MqttBytes.connect;
import static io.junction.interop.mqtt.MqttBytes.packet;
import static io.junction.interop.mqtt.MqttBytes.u16;
import static io.junction.interop.mqtt.MqttBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw bytes the broker must refuse (section 4.8: a protocol violation closes the connection): each case is written on a fresh connection (after a good
 * CONNECT, or instead of one), the broker must close that connection within a bounded time
 * without accepting anything, and then still serve a fresh Paho client.
 */
@Timeout(60)
class MqttBadInputTest {

    @RegisterExtension
    final MqttBroker broker = MqttBroker.withSettings("max_packet_size 1048576")
            .withListenerSettings("maxMessageSize: 1MB");

    static Stream<Arguments> afterConnect() {
        byte[] a = "a".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                bad("reserved packet type 0", new byte[] {0x00, 0x00}),
                bad("reserved packet type 15", new byte[] {(byte) 0xf0, 0x00}),
                bad("remaining length in five bytes", new byte[] {0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}),
                bad("second CONNECT [MQTT-3.1.0-2]", connect("bad-input").bytes()),
                bad("CONNACK from a client", new byte[] {0x20, 0x02, 0x00, 0x00}),
                // Mosquitto 2.0.11 does not close on the next two (nor on a PINGREQ with a body)
                bad("SUBACK from a client", new byte[] {(byte) 0x90, 0x03, 0x00, 0x01, 0x00}),
                bad("PUBLISH QoS 3 [MQTT-3.3.1-4]", packet(0x36, concat(utf8("a"), u16(1)))),
                bad("PUBLISH topic length beyond the packet", packet(0x30, concat(u16(16), a))),
                bad("PUBLISH QoS 1 without a packet identifier", packet(0x32, utf8("a"))),
                bad("PUBLISH QoS 1 with packet identifier 0 [MQTT-2.3.1-1]", packet(0x32, concat(utf8("a"), u16(0), a))),
                bad("PUBLISH topic with a wildcard [MQTT-3.3.2-2]", packet(0x30, concat(utf8("a/#"), a))),
                bad("PUBLISH topic of invalid UTF-8 [MQTT-1.5.3-1]", packet(0x30, concat(MqttBytes.lengthPrefixed(new byte[] {(byte) 0xc3, 0x28}), a))),
                bad("PUBLISH empty topic [MQTT-4.7.3-1]", packet(0x30, concat(u16(0), a))),
                bad("PUBREL with flags 0000 [MQTT-3.6.1-1]", packet(0x60, u16(1))),
                bad("PUBACK too short", packet(0x40, new byte[] {1})),
                bad("SUBSCRIBE with flags 0000 [MQTT-3.8.1-1]", packet(0x80, concat(u16(1), utf8("a"), new byte[] {0}))),
                bad("SUBSCRIBE without filters [MQTT-3.8.3-3]", packet(0x82, u16(1))),
                bad("SUBSCRIBE with packet identifier 0 [MQTT-2.3.1-1]", packet(0x82, concat(u16(0), utf8("a"), new byte[] {0}))),
                bad("SUBSCRIBE requested QoS 3 [MQTT-3.8.3-4]", packet(0x82, concat(u16(1), utf8("a"), new byte[] {3}))),
                bad("SUBSCRIBE filter cut short", packet(0x82, concat(u16(1), u16(10), a))),
                bad("UNSUBSCRIBE with flags 0000 [MQTT-3.10.1-1]", packet(0xa0, concat(u16(1), utf8("a")))),
                bad("UNSUBSCRIBE without filters [MQTT-3.10.3-2]", packet(0xa2, u16(1))),
                bad("PINGREQ with a body", packet(0xc0, new byte[] {1, 2})),
                bad("DISCONNECT with flags [MQTT-3.14.1-1]", new byte[] {(byte) 0xe1, 0x00}),
                bad("PUBLISH over maxMessageSize (20 MB announced)", oversizeHeader()));
    }

    static Stream<Arguments> insteadOfConnect() {
        byte[] goodConnect = connect("bad-connect").bytes();
        byte[] cutConnect = new byte[goodConnect.length - 3];
        System.arraycopy(goodConnect, 0, cutConnect, 0, cutConnect.length);
        cutConnect[1] = (byte) (cutConnect.length - 2);
        return Stream.of(
                bad("PUBLISH before CONNECT [MQTT-3.1.0-1]", MqttBytes.publish("a", 0, false, 0, "x")),
                bad("SUBSCRIBE before CONNECT [MQTT-3.1.0-1]", MqttBytes.subscribe(1, "a", 0)),
                bad("HTTP request", "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                bad("CONNECT with remaining length 0", new byte[] {0x10, 0x00}),
                bad("CONNECT whose client id runs past the packet", cutConnect),
                bad("CONNECT with reserved flag [MQTT-3.1.2-3]", connect("bad-connect").extraFlags(0x01).bytes()),
                bad("CONNECT with a client id of invalid UTF-8", packet(0x10, concat(utf8("MQTT"), new byte[] {4, 2}, u16(60),
                        MqttBytes.lengthPrefixed(new byte[] {(byte) 0xff, (byte) 0xfe})))),
                bad("CONNECT over maxMessageSize (20 MB announced)", concat(new byte[] {0x10}, remainingLength(20 * 1024 * 1024),
                        new byte[4096])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("afterConnect")
    void malformedPacketAfterConnectClosesTheConnection(byte[] bytes) throws Exception {
        try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("bad-input"))) {
            client.sendQuietly(bytes);
            assertThat(client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)).as("nothing answered, then the close").isEmpty();
        }
        BrokerChecks.assertStillServing(broker);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("insteadOfConnect")
    void malformedFirstPacketClosesTheConnection(byte[] bytes) throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.sendQuietly(bytes);
            for (MqttPacket packet : client.packetsUntilClosed(RawMqttClient.CLOSE_TIMEOUT)) {
                assertThat(packet.type()).as("at most a refusing CONNACK: " + packet).isEqualTo(MqttPacket.CONNACK);
                assertThat(packet.returnCode()).as("at most a refusing CONNACK").isNotZero();
            }
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    void pahoPublishOverMaxPacketSizeLosesTheConnection() throws Exception {
        try (PahoClient big = PahoClient.connect(broker, "too-big")) {
            try {
                big.publish("big/payload", new byte[1024 * 1024 + 1], 1, false);
            } catch (MqttException closedWhilePublishing) {
                // expected too: the broker closes instead of acknowledging
            }
            assertThat(big.awaitConnectionLost(Duration.ofSeconds(5))).isTrue();
        }
        BrokerChecks.assertStillServing(broker);
    }

    @Test
    void payloadJustUnderMaxPacketSizeIsDelivered() throws Exception {
        byte[] payload = new byte[1024 * 1024 - 100];
        payload[payload.length - 1] = 42;
        try (PahoClient subscriber = PahoClient.connect(broker, "almost-big-sub");
             PahoClient publisher = PahoClient.connect(broker, "almost-big-pub")) {
            subscriber.subscribe("big/almost", 1);
            publisher.publish("big/almost", payload, 1, false);
            assertThat(subscriber.await().message().getPayload()).isEqualTo(payload);
        }
    }

    @Test
    void abandonedHalfPacketsDoNotHurtOthers() throws Exception {
        List<RawMqttClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                RawMqttClient client = RawMqttClient.connected(broker.port(), connect("half-" + i));
                byte[] publish = MqttBytes.publish("half/t", 1, false, 1, "a payload that will not all arrive");
                client.send(java.util.Arrays.copyOf(publish, publish.length / 2));
                clients.add(client);
            }
            RawMqttClient unconnected = RawMqttClient.open(broker.port());
            clients.add(unconnected);
            unconnected.send(new byte[] {0x10, 0x20, 0x00});
            BrokerChecks.assertStillServing(broker);
            for (int i = 0; i < clients.size(); i++) {
                if (i % 2 == 0) {
                    clients.get(i).abort();
                } else {
                    clients.get(i).close();
                }
            }
            BrokerChecks.assertStillServing(broker);
        } finally {
            for (RawMqttClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void burstOfBadClientsThenGoodOnes() throws Exception {
        List<byte[]> cases = afterConnect().map(a -> (byte[]) ((Named<?>) a.get()[0]).getPayload()).toList();
        for (byte[] bytes : cases) {
            // no waiting for each close here (the parameterized test checks those): bad traffic back to back
            try (RawMqttClient client = RawMqttClient.connected(broker.port(), connect("burst"))) {
                client.sendQuietly(bytes);
            }
        }
        try (PahoClient subscriber = PahoClient.connect(broker, "after-burst-sub");
             PahoClient publisher = PahoClient.connect(broker, "after-burst-pub")) {
            subscriber.subscribe("burst/#", 2);
            for (int i = 0; i < 20; i++) {
                publisher.publish("burst/" + i, "m" + i, i % 3, false);
            }
            assertThat(subscriber.await(20)).hasSize(20);
        }
    }

    private static Arguments bad(String name, byte[] bytes) {
        return Arguments.of(Named.of(name, bytes));
    }

    /** The fixed header of a 2 MB PUBLISH and the start of its body: the broker must not wait for the rest. */
    private static byte[] oversizeHeader() {
        return concat(new byte[] {0x30}, remainingLength(20 * 1024 * 1024), utf8("big/topic"), new byte[4096]);
    }

    private static byte[] remainingLength(int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MqttBytes.writeRemainingLength(out, length);
        return out.toByteArray();
    }
}
