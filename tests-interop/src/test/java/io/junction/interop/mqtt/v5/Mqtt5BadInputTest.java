package io.junction.interop.mqtt.v5;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static io.junction.interop.mqtt.v5.RawMqtt5Client.packet;
import static io.junction.interop.mqtt.v5.RawMqtt5Client.publish;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5.0 section 4.13 Handling errors: after CONNACK, a malformed packet or a protocol error gets
 * DISCONNECT with the matching reason code, then the close; the broker keeps serving others.
 */
@Timeout(60)
class Mqtt5BadInputTest {

    @RegisterExtension
    final Mqtt5Broker broker = new Mqtt5Broker();

    private static byte[] publishRaw(byte[] topic, int flags) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(topic.length >>> 8);
        body.write(topic.length);
        body.writeBytes(topic);
        if ((flags & 0x06) != 0) {
            body.write(0);
            body.write(1);
        }
        body.write(0); // no properties
        body.writeBytes("x".getBytes(StandardCharsets.UTF_8));
        return packet((Packet.PUBLISH << 4) | flags, body.toByteArray());
    }

    private static byte[] subscribeRaw(int firstByte, int options) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(1);
        body.write(0);
        Props.writeString(body, "bad/sub");
        body.write(options);
        return packet(firstByte, body.toByteArray());
    }

    private static Arguments bad(String name, byte[] bytes, int... reasonCodes) {
        return Arguments.of(Named.of(name, bytes), reasonCodes, false);
    }

    /** A case the reference broker, Mosquitto 2.0.11, gets wrong; run against Junction only. */
    private static Arguments mosquittoDeviates(String name, byte[] bytes, int... reasonCodes) {
        return Arguments.of(Named.of(name, bytes), reasonCodes, true);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                bad("[MQTT-1.5.4-1] ill-formed UTF-8 in a topic name",
                        publishRaw(new byte[] {'a', '/', (byte) 0xC3, (byte) 0x28}, 0), 0x81),
                bad("[MQTT-1.5.4-1] UTF-16 surrogate encoded in a topic name",
                        publishRaw(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0), 0x81),
                bad("[MQTT-1.5.4-2] U+0000 in a topic name", publishRaw(new byte[] {'a', 0, 'b'}, 0), 0x81),
                bad("[MQTT-3.3.1-4] PUBLISH with both QoS bits set", publishRaw("bad/qos".getBytes(), 0x06), 0x81),
                // a MUST NOT broken: protocol error, or topic name invalid
                bad("[MQTT-3.3.2-2] wildcard in a PUBLISH topic name", publishRaw("bad/+".getBytes(), 0),
                        0x90, 0x82),
                bad("[MQTT-3.8.1-1] SUBSCRIBE with reserved flags 0000", subscribeRaw(Packet.SUBSCRIBE << 4, 1), 0x81),
                bad("[MQTT-3.8.3-5] subscription options with reserved bits set",
                        subscribeRaw((Packet.SUBSCRIBE << 4) | 2, 0xC1), 0x81),
                bad("[3.8.3.1] retain-handling 3", subscribeRaw((Packet.SUBSCRIBE << 4) | 2, 0x31), 0x81, 0x82),
                mosquittoDeviates("[MQTT-2.1.3-1] PINGREQ with reserved flags set", new byte[] {(byte) 0xC1, 0},
                        0x81),
                bad("[2.1.2] reserved packet type 0", new byte[] {0x00, 0}, 0x81, 0x82),
                bad("[2.2.2.2] a property not allowed in PUBLISH (session-expiry)",
                        publish("bad/prop", 0, false, 0, Props.of().add(Props.SESSION_EXPIRY_INTERVAL, 5L), "x"),
                        0x81),
                bad("[MQTT-2.2.1-3] QoS 1 PUBLISH with packet identifier 0",
                        publish("bad/id", 1, false, 0, Props.of(), "x"), 0x81, 0x82),
                bad("[1.5.5] remaining length over four bytes",
                        new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}, 0x81));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("[MQTT-4.13.1-1] bad input: DISCONNECT with the reason code, close, keep serving")
    void badInput(byte[] bytes, int[] reasonCodes, boolean mosquittoDeviates) throws Exception {
        if (mosquittoDeviates) {
            broker.assumeJunction("Mosquitto 2.0.11 ignores this");
        }
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "bad", Props.of())) {
            client.send(bytes);
            broker.expectDisconnect(client, reasonCodes);
        }
        try (RawMqtt5Client client = RawMqtt5Client.connected(broker.port(), "good", Props.of());
             PahoV5 other = PahoV5.connected(broker.uri(), "good-pub")) {
            client.send(RawMqtt5Client.subscribe(1, null, "good/t", 1)).expect(Packet.SUBACK);
            other.publish("good/t", "still here", 1, false);
            assertThat(client.expect(Packet.PUBLISH).payloadText()).isEqualTo("still here");
        }
    }
}
