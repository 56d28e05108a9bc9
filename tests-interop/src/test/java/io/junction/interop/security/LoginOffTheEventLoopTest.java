package io.junction.interop.security;

import io.junction.core.security.PasswordHash;
import io.junction.interop.mqtt.MqttBytes;
import io.junction.interop.mqtt.MqttPacket;
import io.junction.interop.mqtt.RawMqttClient;
import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Checking a password (PBKDF2) runs on the authenticator's own threads: the event loop of the
 * connection that logs in keeps serving its other connections meanwhile, and what a client sends
 * right behind its CONNECT waits for the login and keeps its order.
 */
@Timeout(120)
class LoginOffTheEventLoopTest {

    /** A stored hash that no password matches and that takes seconds to check. */
    private static final String SLOW_HASH = PasswordHash.decoy(2_000_000).encoded();

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker()
            .withUser("bob", "bob-pw")
            .withUser("carol", "carol-pw")
            .withUsersYaml("""
                      - name: slow
                        password: "%s"
                    """.formatted(SLOW_HASH));

    /** True while a junction-auth thread computes a password hash. */
    private static boolean hashing() {
        return Thread.getAllStackTraces().entrySet().stream().anyMatch(thread ->
                thread.getKey().getName().startsWith("junction-auth-") && Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getClassName().equals(PasswordHash.class.getName())));
    }

    @Test
    void everyEventLoopAnswersPingsWhileALoginIsHashed() throws Exception {
        // The broker has one IO thread per core and hands connections to them in turn: this many
        // connections share an event loop with whichever connection comes next.
        int connections = Runtime.getRuntime().availableProcessors() + 1;
        List<RawMqttClient> others = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                others.add(RawMqttClient.connected(broker.mqttPort(), MqttBytes.connect("other-" + i)));
            }
            try (RawMqttClient slow = RawMqttClient.open(broker.mqttPort())) {
                slow.send(MqttBytes.connect("slow-login").username("slow").password("guess").bytes());
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                        .until(LoginOffTheEventLoopTest::hashing);

                for (RawMqttClient other : others) {
                    assertThat(other.send(MqttBytes.pingreq()).read().type()).isEqualTo(MqttPacket.PINGRESP);
                }
                // Every answer came while the hash was still being computed, the login undecided.
                assertThat(hashing()).isTrue();
                assertThat(slow.poll(Duration.ofMillis(1))).isNull();
            }
            // The client went away during its login; the broker goes on.
            try (RawMqttClient after = RawMqttClient.connected(broker.mqttPort(), MqttBytes.connect("after"))) {
                assertThat(after.send(MqttBytes.pingreq()).read().type()).isEqualTo(MqttPacket.PINGRESP);
            }
        } finally {
            for (RawMqttClient other : others) {
                other.close();
            }
        }
    }

    @Test
    void mqttPacketsSentRightBehindConnectWaitForTheLoginInOrder() throws Exception {
        try (RawMqttClient client = RawMqttClient.open(broker.mqttPort())) {
            client.send(MqttBytes.concat(
                    MqttBytes.connect("pipelined").username("bob").password("bob-pw").bytes(),
                    MqttBytes.subscribe(1, "pipe/x", 1),
                    MqttBytes.publish("pipe/x", 1, false, 2, "behind connect")));

            MqttPacket connack = client.expect(MqttPacket.CONNACK);
            assertThat(connack.returnCode()).isZero();
            assertThat(client.read().type()).isEqualTo(MqttPacket.SUBACK);
            List<MqttPacket> next = List.of(client.read(), client.read());
            assertThat(next).extracting(MqttPacket::type)
                    .containsExactlyInAnyOrder(MqttPacket.PUBACK, MqttPacket.PUBLISH);
            assertThat(next).filteredOn(packet -> packet.type() == MqttPacket.PUBLISH).singleElement()
                    .extracting(MqttPacket::payloadText).isEqualTo("behind connect");
        }
    }

    @Test
    void stompFramesSentRightBehindConnectWaitForTheLoginInOrder() throws Exception {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            client.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost", "login:carol",
                    "passcode:carol-pw")
                    + RawStompClient.frame("SUBSCRIBE", "id:1", "destination:/queue/pipe", "receipt:r1")
                    + RawStompClient.frameWithBody("SEND", "behind connect", "destination:/queue/pipe"));

            assertThat(client.readFrame().command()).isEqualTo("CONNECTED");
            RawFrame receipt = client.readFrame();
            assertThat(receipt.command()).isEqualTo("RECEIPT");
            assertThat(receipt.header("receipt-id")).isEqualTo("r1");
            RawFrame message = client.readFrame();
            assertThat(message.command()).isEqualTo("MESSAGE");
            assertThat(message.bodyText()).isEqualTo("behind connect");
        }
    }
}
